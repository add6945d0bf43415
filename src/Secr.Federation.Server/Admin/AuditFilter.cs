using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Secr.Federation.Core.Audit;

namespace Secr.Federation.Server.Admin;

/// <summary>
/// The audit log's filters as query parameters: one contract for <c>GET /api/v1/audit</c> and the console's audit page
/// (both bind it from the query string), turned into the reader's <see cref="AuditQuery"/> in one place.
/// </summary>
public sealed record AuditFilter
{
    [FromQuery(Name = "identity")]
    public string? Identity { get; init; }

    [FromQuery(Name = "actor")]
    public string? Actor { get; init; }

    [FromQuery(Name = "target")]
    public string? Target { get; init; }

    [FromQuery(Name = "type")]
    public string? Type { get; init; }

    [FromQuery(Name = "run")]
    public string? Run { get; init; }

    [FromQuery(Name = "environment")]
    public string? Environment { get; init; }

    [FromQuery(Name = "outcome")]
    public string? Outcome { get; init; }

    [FromQuery(Name = "ip")]
    public string? Ip { get; init; }

    [FromQuery(Name = "since")]
    public DateTimeOffset? Since { get; init; }

    [FromQuery(Name = "until")]
    public DateTimeOffset? Until { get; init; }

    public AuditQuery ToQuery(long? before, long? after, int limit) => new()
    {
        Identity = Identity, Actor = Actor, Target = Target, IdentityType = Type, Run = Run, Environment = Environment, Outcome = Outcome, ClientIp = Ip,
        Since = Since, Until = Until, Before = before, After = after, Limit = limit,
    };

    /// <summary>The filters that are set, as query parameters again (for links that keep them: older, newest, the live feed).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Parameters()
    {
        var all = new (string Name, string? Value)[]
        {
            ("identity", Identity), ("actor", Actor), ("target", Target), ("type", Type), ("run", Run), ("environment", Environment), ("outcome", Outcome), ("ip", Ip),
            ("since", Since?.ToString("O", CultureInfo.InvariantCulture)), ("until", Until?.ToString("O", CultureInfo.InvariantCulture)),
        };
        return all.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => KeyValuePair.Create(p.Name, p.Value));
    }
}
