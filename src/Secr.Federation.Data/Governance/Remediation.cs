using System.Net;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Governance;

/// <summary>
/// A fix the API offers for a finding; <paramref name="Needs"/> names the parameter it cannot default (<c>project</c>,
/// <c>to</c>), if any; <paramref name="Warning"/> is a consequence a person must see before applying it.
/// </summary>
public sealed record FixOption(string Fix, Finding Finding, string Description, string? Needs = null, string? Warning = null);

/// <summary>What an applied fix changed, in a sentence for people (<c>expiry set to 2026-06-18</c>); a roll also carries the new value, once.</summary>
public sealed record FixApplied(string Summary, string? Token = null, string? Id = null);

/// <summary>The parameters a fix may take: a number of days, a project, a new owner.</summary>
public sealed record FixParameters(int? Days, string? Project, string? To);

/// <summary>
/// Guided remediation: for each finding of an identity, the fixes that apply; applying one is a single audited call
/// through the same stores (and so the same rules) as any other change.
/// </summary>
public sealed class Remediation(
    IDbContextFactory<SecrDbContext> contexts, NhiInventory inventory, MachineTokenStore tokens, AgentStore agents, TrustStore trust,
    ScopeStore scopes, UserStore users, IPolicyReader policies, TimeProvider clock)
{
    public const int DefaultDays = 30;

    public async Task<IReadOnlyList<FixOption>?> OptionsAsync(string type, string id, CancellationToken cancellationToken)
    {
        var item = await inventory.FindAsync(type, id, cancellationToken);
        if (item is null)
        {
            return null;
        }

        // A revoked or killed identity keeps its findings for the record, but nothing is left to fix.
        if (item.Identity.Retired)
        {
            return [];
        }

        var options = item.Posture.Findings.SelectMany(finding => Fixes(type, finding)).ToList();
        var observed = options.FindIndex(o => o.Fix == AllowObservedIps);
        if (observed >= 0)
        {
            // The allowlist is what was observed, so the offer says which addresses; never used, there is nothing to offer.
            var networks = await ObservedNetworksAsync(id, clock.GetUtcNow() - TimeSpan.FromDays(DefaultDays), cancellationToken);
            if (networks.Count == 0)
            {
                options.RemoveAt(observed);
            }
            else
            {
                options[observed] = options[observed] with
                {
                    Description = $"Allow only the addresses it was used from in the last {DefaultDays} days: {string.Join(", ", networks)}",
                    Warning = networks.All(n => IPAddress.IsLoopback(n.Network))
                        ? "these are loopback addresses only: it would then work only from the server's own host, nowhere else"
                        : null,
                };
            }
        }

        return options;
    }

    private const string AllowObservedIps = "allow-observed-ips";

    public async Task<ChangeResult<FixApplied>> ApplyAsync(string type, string id, string fix, FixParameters parameters, AdminActor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var maxLifetime = fix == "set-expiry"
            ? (await policies.GetAsync(cancellationToken)).MaxLifetimeFor((await inventory.ListAsync(cancellationToken)).FirstOrDefault(i => i.Identity.Id == id)?.Identity.Environment)
            : null;

        // Without a number of days, an expiry fix picks the default or the policy's maximum, whichever is shorter, so the default always complies.
        var days = parameters.Days ?? (maxLifetime is { } policyMax ? Math.Min(DefaultDays, Math.Max(1, (int)policyMax.TotalDays)) : DefaultDays);
        if (days is < 1 or > 3650)
        {
            return ChangeResult<FixApplied>.Invalid("days", "must be between 1 and 3650");
        }

        if (maxLifetime is { } max && TimeSpan.FromDays(days) > max)
        {
            return ChangeResult<FixApplied>.Invalid("days", $"refused by policy max-lifetime: at most {(int)max.TotalDays} days");
        }

        var code = "fix." + fix.Replace('-', '_');
        var expiry = now + TimeSpan.FromDays(days);
        var expirySet = $"expiry set to {expiry:yyyy-MM-dd}";
        switch (type, fix)
        {
            case (IdentityType.MachineToken, "roll"):
                var rolled = await tokens.RollAsync(id, actor, cancellationToken);
                return Box(rolled, rolled.Value is { } issued ? new FixApplied($"rolled: successor {issued.Identity.Id} replaces {id}, whose value stops working now", issued.Value, issued.Identity.Id) : null);
            case (IdentityType.MachineToken, "disable"):
                return Box(await tokens.DisableAsync(id, actor, cancellationToken), "disabled");
            case (IdentityType.MachineToken, "transfer"):
                return Box(await tokens.TransferAsync(id, parameters.To ?? "", actor, cancellationToken), $"owner set to {parameters.To}");
            case (IdentityType.MachineToken, "set-expiry"):
                return Box(await tokens.UpdateAsync(id, code, t => (t with { ExpiresAt = expiry }, expirySet), actor, cancellationToken), expirySet);
            case (IdentityType.MachineToken, "narrow-project"):
                var token = await tokens.FindAsync(id, cancellationToken);
                if (parameters.Project is not { } project || token is null || !await scopes.ExistsAsync(project, token.Environment, cancellationToken))
                {
                    return ChangeResult<FixApplied>.Invalid("project", "name a project that has the token's environment");
                }

                var narrowed = $"scope narrowed from the organisation to project {project}";
                return Box(await tokens.UpdateAsync(id, code, t => t.Project is null ? (t with { Project = project }, narrowed) : null, actor, cancellationToken), narrowed);
            case (IdentityType.MachineToken, AllowObservedIps):
                var tokenIps = await ObservedNetworksAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                var tokenIpsSet = IpsSet(tokenIps, days);
                return tokenIps.Count == 0 ? NothingObserved("uses", days)
                    : Box(await tokens.UpdateAsync(id, code, t => (t with { Access = t.Access with { AllowedNetworks = tokenIps } }, tokenIpsSet), actor, cancellationToken), tokenIpsSet);
            case (IdentityType.Agent, "disable"):
                return Box(await agents.DisableAsync(id, actor, cancellationToken), "disabled");
            case (IdentityType.Agent, "set-expiry"):
                return Box(await agents.UpdateAsync(id, code, a => (a with { ExpiresAt = expiry }, expirySet), actor, cancellationToken), expirySet);
            case (IdentityType.Agent, "transfer"):
                var owner = await users.FindAsync(parameters.To ?? "", cancellationToken);
                return owner is not { Offboarded: false }
                    ? ChangeResult<FixApplied>.Invalid("to", $"'{parameters.To}' is not an active user")
                    : Box(await agents.UpdateAsync(id, code, a => (a with { OwnerId = owner.Id }, $"owner set to {owner.Email}"), actor, cancellationToken), $"owner set to {owner.Email}");
            case (IdentityType.Agent, "narrow-allowlist"):
                var keys = await ObservedKeysAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                var keysSet = KeysSet(keys, days);
                return keys.Count == 0 ? NothingObserved("secret reads", days)
                    : Box(await agents.UpdateAsync(id, code, a => (a with { SecretAllowlist = keys }, keysSet), actor, cancellationToken), keysSet);
            case (IdentityType.Agent, AllowObservedIps):
                var agentIps = await ObservedNetworksAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                var agentIpsSet = IpsSet(agentIps, days);
                return agentIps.Count == 0 ? NothingObserved("uses", days)
                    : Box(await agents.UpdateAsync(id, code, a => (a with { Access = a.Access with { AllowedNetworks = agentIps } }, agentIpsSet), actor, cancellationToken), agentIpsSet);
            case (IdentityType.OidcBinding, _):
                return await FixBindingAsync(id, fix, parameters, days, now, actor, cancellationToken);
            default:
                return ChangeResult<FixApplied>.Invalid("fix", $"'{fix}' does not apply to a {type}");
        }
    }

    private async Task<ChangeResult<FixApplied>> FixBindingAsync(string id, string fix, FixParameters parameters, int days, DateTimeOffset now, AdminActor actor, CancellationToken cancellationToken)
    {
        var binding = await trust.FindBindingByIdAsync(id, cancellationToken);
        if (binding is null)
        {
            return ChangeResult<FixApplied>.NotFound($"binding '{id}' does not exist");
        }

        var issuer = (await trust.ListIssuersAsync(cancellationToken)).First(i => i.Id == binding.IssuerId).Name;
        switch (fix)
        {
            case "disable":
                return Box(await trust.SetBindingEnabledAsync(binding.Name, false, actor, cancellationToken), "disabled");
            case "transfer":
                var owner = await users.FindAsync(parameters.To ?? "", cancellationToken);
                return owner is not { Offboarded: false }
                    ? ChangeResult<FixApplied>.Invalid("to", $"'{parameters.To}' is not an active user")
                    : Box(await trust.SaveBindingAsync(binding with { OwnerId = owner.Id }, issuer, replace: true, enabled: null, actor, cancellationToken), $"owner set to {owner.Email}");
            case "narrow-allowlist":
                var keys = await ObservedKeysAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                return keys.Count == 0 ? NothingObserved("secret reads", days)
                    : Box(await trust.SaveBindingAsync(binding with { SecretAllowlist = keys }, issuer, replace: true, enabled: null, actor, cancellationToken), KeysSet(keys, days));
            case AllowObservedIps:
                var networks = await ObservedNetworksAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                return networks.Count == 0 ? NothingObserved("uses", days)
                    : Box(await trust.SaveBindingAsync(binding with { ClientIpAllowlist = networks }, issuer, replace: true, enabled: null, actor, cancellationToken), IpsSet(networks, days));
            default:
                return ChangeResult<FixApplied>.Invalid("fix", $"'{fix}' does not apply to a binding");
        }
    }

    private static string IpsSet(IReadOnlyList<Cidr> networks, int days) => $"IP allowlist set to the addresses used in {days} days: {string.Join(", ", networks)}";

    private static string KeysSet(IReadOnlyList<string> keys, int days) => $"allowlist narrowed to the keys read in {days} days: {string.Join(",", keys)}";

    private static IEnumerable<FixOption> Fixes(string type, Finding finding)
    {
        var credential = type != IdentityType.OidcBinding;
        if (credential && finding.Kind is FindingKind.NoExpiry or FindingKind.ExpiryBeyondPolicy)
        {
            yield return new("set-expiry", finding, "Set an expiry of 30 days (or the max-lifetime policy, if shorter)");
        }

        if (type == IdentityType.MachineToken && finding.Kind is FindingKind.NeverRotated or FindingKind.NotRotated)
        {
            yield return new("roll", finding, "Roll the token: a new value replaces it at once (shown once; update where it is used)");
        }

        if (type == IdentityType.MachineToken && finding.Kind == FindingKind.NoScope)
        {
            yield return new("narrow-project", finding, "Narrow the scope from the organisation to one project", Needs: "project");
        }

        if (finding.Kind == FindingKind.BroadSecretScope)
        {
            yield return new("narrow-allowlist", finding, "Narrow the allowlist to the keys read in the last 30 days");
        }

        if (finding.Kind == FindingKind.NoIpRestriction)
        {
            yield return new(AllowObservedIps, finding, "Allow only the IP addresses it was used from in the last 30 days");
        }

        if (finding.Kind is FindingKind.OwnerOffboarded or FindingKind.OwnerMissing)
        {
            yield return new("transfer", finding, "Transfer it to another active owner", Needs: "to");
        }

        if (finding.Kind == FindingKind.Stale)
        {
            yield return new("disable", finding, "Disable the unused identity");
        }
    }

    private async Task<IReadOnlyList<string>> ObservedKeysAsync(string identityId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var reads = await db.AuditRecords.AsNoTracking()
            .Where(r => r.IdentityId == identityId && (r.Action == SecretScope.ReadAction || r.Action == SecretScope.ReadAllAction) && r.Outcome == AuditOutcome.Allowed && r.Timestamp >= since && r.Keys != null)
            .Select(r => r.Keys!).ToListAsync(cancellationToken);
        return reads.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<IReadOnlyList<Cidr>> ObservedNetworksAsync(string identityId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ips = await db.AuditRecords.AsNoTracking()
            .Where(r => r.IdentityId == identityId && r.Outcome == AuditOutcome.Allowed && r.Action != AuditRecord.AdminAction && r.Timestamp >= since && r.ClientIp != null)
            .Select(r => r.ClientIp!).Distinct().ToListAsync(cancellationToken);
        return ips.Select(IPAddress.Parse).Select(ip => new Cidr(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, ip.IsIPv4MappedToIPv6 || ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
            .Distinct().ToList();
    }

    private static ChangeResult<FixApplied> NothingObserved(string what, int days) =>
        ChangeResult<FixApplied>.Conflict($"no {what} were recorded in the last {days} days, so there is nothing to narrow to");

    /// <summary>A fix answers what it did, not the changed record (which the identity's own endpoint shows).</summary>
    private static ChangeResult<FixApplied> Box<T>(ChangeResult<T> result, string summary) => Box(result, new FixApplied(summary));

    private static ChangeResult<FixApplied> Box<T>(ChangeResult<T> result, FixApplied? applied) => result.Status == ChangeStatus.Ok
        ? ChangeResult<FixApplied>.Ok(applied!)
        : new ChangeResult<FixApplied>(null, result.Status, result.Errors, result.Message, result.Code);
}
