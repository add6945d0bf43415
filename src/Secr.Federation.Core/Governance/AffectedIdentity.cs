namespace Secr.Federation.Core.Governance;

/// <summary>An identity a policy change or run affects, and why.</summary>
public sealed record AffectedIdentity(string Type, string Id, string Name, string Reason);
