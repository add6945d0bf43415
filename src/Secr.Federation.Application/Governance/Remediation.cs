using System.Net;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Application.Governance;

/// <summary>
/// A fix the API offers for a finding; <paramref name="Needs"/> names the parameter it cannot default (<c>project</c>,
/// <c>to</c>), if any; <paramref name="Warning"/> is a consequence a person must see before applying it.
/// </summary>
public sealed record FixOption(string Fix, Finding Finding, string Description, string? Needs = null, string? Warning = null)
{
    /// <summary>The problem as a fix walk announces it ("No expiry set").</summary>
    public string Problem => FindingText.Headline(Finding);
}

/// <summary>What an applied fix changed, in a sentence for people (<c>expiry set to 2026-06-18</c>); a roll also carries the new value, once.</summary>
public sealed record FixApplied(string Summary, string? Token = null, string? Id = null);

/// <summary>The parameters a fix may take: a number of days, a project, a new owner.</summary>
public sealed record FixParameters(int? Days, string? Project, string? To);

/// <summary>
/// Guided remediation: for each finding of an identity, the fix that remedies it, if its kind supports that fix
/// (<see cref="IIdentityKindChanges"/>); applying one is a single audited call through that kind's store, and so its
/// rules (an agent's longest lifetime, say). An expiry fix is also held to the max-lifetime policy, and its default days comply with it.
/// </summary>
public sealed class Remediation(NhiInventory inventory, IEnumerable<IIdentityKindChanges> kinds, ObservedUsage usage, IPolicyReader policies, PostureSettings posture, TimeProvider clock)
{
    /// <summary>How far back the fixes that narrow to observed use (addresses, keys) look, unless told otherwise.</summary>
    public const int ObservedDays = 30;

    private readonly Dictionary<string, IIdentityKindChanges> _kinds = kinds.ToDictionary(k => k.Type, StringComparer.Ordinal);

    public async Task<IReadOnlyList<FixOption>?> OptionsAsync(string type, string id, CancellationToken cancellationToken)
    {
        var item = await inventory.FindAsync(type, id, cancellationToken);
        if (item is null)
        {
            return null;
        }

        // A revoked or killed identity keeps its findings for the record, but nothing is left to fix.
        if (item.Identity.Retired || !_kinds.TryGetValue(type, out var kind))
        {
            return [];
        }

        var options = item.Posture.Findings.Select(FixCatalog.For).OfType<FixOption>().Where(o => kind.Fixes.Contains(o.Fix)).ToList();
        var expiry = options.FindIndex(o => o.Fix == FixCatalog.SetExpiry);
        if (expiry >= 0)
        {
            options[expiry] = options[expiry] with { Description = $"Set expiry to {await ExpiryDaysAsync(kind, item.Identity.Environment, cancellationToken)} days" };
        }

        var observed = options.FindIndex(o => o.Fix == FixCatalog.AllowObservedIps);
        if (observed >= 0)
        {
            // The allowlist is what was observed, so the offer says which addresses; never used, there is nothing to offer.
            var networks = await usage.NetworksAsync(id, clock.GetUtcNow() - TimeSpan.FromDays(ObservedDays), cancellationToken);
            if (networks.Count == 0)
            {
                options.RemoveAt(observed);
            }
            else
            {
                options[observed] = options[observed] with
                {
                    Description = $"Add the addresses this {Noun(type)} was used from ({string.Join(", ", networks)})",
                    Warning = networks.All(n => IPAddress.IsLoopback(n.Network))
                        ? "these are loopback addresses only: it would then work only from the server's own host, nowhere else"
                        : null,
                };
            }
        }

        return options;
    }

    public async Task<ChangeResult<FixApplied>> ApplyAsync(string type, string id, string fix, FixParameters parameters, AdminActor actor, CancellationToken cancellationToken)
    {
        if (!_kinds.TryGetValue(type, out var kind) || !kind.Fixes.Contains(fix))
        {
            return ChangeResult<FixApplied>.Invalid("fix", $"'{fix}' does not apply to a {type}");
        }

        var environment = fix == FixCatalog.SetExpiry ? (await inventory.FindAsync(type, id, cancellationToken))?.Identity.Environment : null;
        var maxLifetime = fix == FixCatalog.SetExpiry ? (await policies.GetAsync(cancellationToken)).MaxLifetimeFor(environment) : null;
        var days = parameters.Days ?? (fix == FixCatalog.SetExpiry ? await ExpiryDaysAsync(kind, environment, cancellationToken) : ObservedDays);
        if (days is < 1 or > 3650)
        {
            return ChangeResult<FixApplied>.Invalid("days", "must be between 1 and 3650");
        }

        if (maxLifetime is { } max && TimeSpan.FromDays(days) > max)
        {
            return ChangeResult<FixApplied>.Invalid("days", $"refused by policy max-lifetime: at most {(int)max.TotalDays} days");
        }

        return await kind.FixAsync(new FixRequest(id, fix, parameters, days, clock.GetUtcNow(), actor), cancellationToken);
    }

    /// <summary>
    /// The expiry an expiry fix offers: the rotation window (a credential then expires before posture would flag it
    /// unrotated), or the longest the max-lifetime policy or the kind itself allows, if shorter, so the default always complies.
    /// </summary>
    private async Task<int> ExpiryDaysAsync(IIdentityKindChanges kind, string? environment, CancellationToken cancellationToken)
    {
        var limits = new[] { posture.RotationWindow, (await policies.GetAsync(cancellationToken)).MaxLifetimeFor(environment), kind.MaxLifetime };
        return Math.Max(1, (int)limits.OfType<TimeSpan>().Min().TotalDays);
    }

    /// <summary>What a person calls an identity of <paramref name="type"/> in a sentence ("this token").</summary>
    private static string Noun(string type) => type switch
    {
        IdentityType.MachineToken => "token",
        IdentityType.Agent => "agent",
        _ => "binding",
    };
}
