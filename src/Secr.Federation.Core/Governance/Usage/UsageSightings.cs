using System.Net;
using Secr.Federation.Core.Audit;

namespace Secr.Federation.Core.Governance.Usage;

/// <summary>One source seen behind an identity at a time: a kind (<see cref="UsageSources"/>) and its value.</summary>
public sealed record Sighting(string IdentityType, string IdentityId, string Kind, string Value, DateTimeOffset At);

/// <summary>
/// What audit records show of identities' use, record by record in the order they were chained. A workload's admitted
/// request shows its sources and any sign of a person; a person's admin request shows an address people use. A use from
/// an address is a sign of a person when a person was seen at that address before it (the caller passes those already
/// known, from earlier batches; this adds the batch's own as it goes). A loopback address says nothing about who is
/// behind it (a local proxy or a single-host install serves everyone from it), so it is never a person's.
/// </summary>
public static class UsageSightings
{
    /// <summary>The identity type of a person's address sightings: a user, by user id.</summary>
    public const string PersonType = ActorTypes.User;

    public static IReadOnlyList<Sighting> Of(IEnumerable<AuditRecord> records, ISet<string> personAddresses)
    {
        var sightings = new List<Sighting>();
        foreach (var record in records)
        {
            var address = UsageSources.Address(record.ClientIp);
            var personal = address is not null && !IPAddress.IsLoopback(address) ? address.ToString() : null;
            if (record is { Action: AuditRecord.AdminAction, ActorType: ActorTypes.User, ActorId: { } userId } && personal is not null)
            {
                personAddresses.Add(personal);
                sightings.Add(new(PersonType, userId, UsageSources.PersonAddress, personal, record.Timestamp));
            }
            else if (IsWorkloadUse(record))
            {
                sightings.AddRange(Sources(record, personal is not null && personAddresses.Contains(personal) ? personal : null));
            }
        }

        return sightings;
    }

    /// <summary>A workload's own admitted request (token endpoint, secrets API): a revocation by the holder is not a use.</summary>
    private static bool IsWorkloadUse(AuditRecord record) =>
        record is { Outcome: AuditOutcome.Allowed, IdentityType: not null, IdentityId: not null } && record.ActorType == record.IdentityType &&
        record.Action is not (AuditRecord.AdminAction or AuditRecord.RevokeAction);

    private static IEnumerable<Sighting> Sources(AuditRecord record, string? personAddress)
    {
        var network = UsageSources.NetworkOf(record.ClientIp);
        var sources = new (string Kind, string? Value)[]
        {
            (UsageSources.Network, network),
            (UsageSources.Repository, UsageSources.RepositoryOf(record.SourceSubject)),
            (UsageSources.Workflow, UsageSources.WorkflowOf(record.Lineage)),
            (UsageSources.Browser, BrowserUserAgent.Matches(record.UserAgent) ? network ?? "" : null),
            (UsageSources.PersonAddress, personAddress),
        };
        return sources.Where(s => s.Value is not null).Select(s => new Sighting(record.IdentityType!, record.IdentityId!, s.Kind, s.Value!, record.Timestamp));
    }
}
