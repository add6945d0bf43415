namespace Secr.Federation.Data.Governance;

/// <summary>
/// One source seen behind an identity (a network, a repository, a workflow, a sign of a person) with when it was first
/// and last seen: what the usage fold (<see cref="UsageSignalFold"/>) keeps of the audit, so posture counts an
/// identity's sources without reading its records. A row older than the usage window no longer counts, and goes.
/// </summary>
public sealed class UsageSignalEntity
{
    public required string IdentityId { get; set; }
    public required string IdentityType { get; set; }
    public required string Kind { get; set; }
    public required string Value { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
}
