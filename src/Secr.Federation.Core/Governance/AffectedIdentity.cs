namespace Secr.Federation.Core.Governance;

/// <summary>An identity a policy change or run affects, and why; <paramref name="Policy"/> names the policy that affects it, for clients that sort the rows.</summary>
public sealed record AffectedIdentity(string Type, string Id, string Name, string Reason, string? Policy = null);
