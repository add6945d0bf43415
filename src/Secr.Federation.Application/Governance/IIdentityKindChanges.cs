using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Application.Governance;

/// <summary>One fix asked of one identity: which, with what parameters, by whom, and the number of days it works with.</summary>
public sealed record FixRequest(string Id, string Fix, FixParameters Parameters, int Days, DateTimeOffset Now, AdminActor Actor)
{
    /// <summary>The audit code of the change the fix makes: <c>fix.set_expiry</c>.</summary>
    public string Code => "fix." + Fix.Replace('-', '_');

    public DateTimeOffset Expiry => Now + TimeSpan.FromDays(Days);

    public string ExpirySet => $"expiry set to {Expiry:yyyy-MM-dd}";

    /// <summary>Where observed usage starts, for the fixes that narrow to it.</summary>
    public DateTimeOffset ObservedSince => Now - TimeSpan.FromDays(Days);
}

/// <summary>
/// The changes an admin can make to one identity of a kind once it exists: its lifecycle transitions (the kind's
/// <see cref="IdentityLifecycle"/>) and the remediation fixes it supports, each through that kind's own store, so its
/// rules hold however the change is reached (API, console, CLI or remediation). Shares the kind's type.
/// </summary>
public interface IIdentityKindChanges
{
    string Type { get; }

    /// <summary>The fixes of <see cref="FixCatalog"/> this kind can apply.</summary>
    IReadOnlySet<string> Fixes { get; }

    /// <summary>The longest lifetime the kind allows its credentials, if it has a limit of its own: an expiry fix's default stays within it.</summary>
    TimeSpan? MaxLifetime => null;

    Task<ChangeResult<FixApplied>> FixAsync(FixRequest request, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="transition"/>, one of the kind's lifecycle transitions; a roll's result carries the new value, once.</summary>
    Task<ChangeResult<FixApplied>> TransitionAsync(string id, LifecycleTransition transition, AdminActor actor, CancellationToken cancellationToken);
}
