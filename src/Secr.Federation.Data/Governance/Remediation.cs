using System.Net;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Governance;

/// <summary>A fix the API offers for a finding.</summary>
public sealed record FixOption(string Fix, string Finding, string Description);

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
        var item = (await inventory.ListAsync(cancellationToken)).FirstOrDefault(i => i.Identity.Type == type && i.Identity.Id == id);
        return item?.Posture.Findings.SelectMany(finding => Fixes(type, finding)).ToList();
    }

    public async Task<ChangeResult<object>> ApplyAsync(string type, string id, string fix, FixParameters parameters, AdminActor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var days = parameters.Days ?? DefaultDays;
        if (days is < 1 or > 3650)
        {
            return ChangeResult<object>.Invalid("days", "must be between 1 and 3650");
        }

        if (fix == "set-expiry" && (await policies.GetAsync(cancellationToken)).MaxLifetimeFor((await inventory.ListAsync(cancellationToken))
                .FirstOrDefault(i => i.Identity.Id == id)?.Identity.Environment) is { } max && TimeSpan.FromDays(days) > max)
        {
            return ChangeResult<object>.Invalid("days", $"refused by policy max-lifetime: at most {(int)max.TotalDays} days");
        }

        var code = "fix." + fix.Replace('-', '_');
        switch (type, fix)
        {
            case (IdentityType.MachineToken, "roll"):
                return Box(await tokens.RollAsync(id, actor, cancellationToken), issued => new { token = issued.Value, id = issued.Identity.Id });
            case (IdentityType.MachineToken, "disable"):
                return Box(await tokens.DisableAsync(id, actor, cancellationToken));
            case (IdentityType.MachineToken, "transfer"):
                return Box(await tokens.TransferAsync(id, parameters.To ?? "", actor, cancellationToken));
            case (IdentityType.MachineToken, "set-expiry"):
                return Box(await tokens.UpdateAsync(id, code, t => (t with { ExpiresAt = now + TimeSpan.FromDays(days) }, $"expiry set to {days} days from now"), actor, cancellationToken));
            case (IdentityType.MachineToken, "narrow-project"):
                var token = await tokens.FindAsync(id, cancellationToken);
                if (parameters.Project is not { } project || token is null || !await scopes.ExistsAsync(project, token.Environment, cancellationToken))
                {
                    return ChangeResult<object>.Invalid("project", "name a project that has the token's environment");
                }

                return Box(await tokens.UpdateAsync(id, code, t => t.Project is null ? (t with { Project = project }, $"scope narrowed from the organisation to project {project}") : null, actor, cancellationToken));
            case (IdentityType.MachineToken, "allow-observed-ips"):
                var tokenIps = await ObservedNetworksAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                return tokenIps.Count == 0 ? NothingObserved("uses", days)
                    : Box(await tokens.UpdateAsync(id, code, t => (t with { Access = t.Access with { AllowedNetworks = tokenIps } }, $"IP allowlist set to the addresses used in {days} days: {string.Join(", ", tokenIps)}"), actor, cancellationToken));
            case (IdentityType.Agent, "disable"):
                return Box(await agents.UpdateAsync(id, code, a => (a with { Status = IdentityStatus.Disabled }, "disabled"), actor, cancellationToken));
            case (IdentityType.Agent, "set-expiry"):
                return Box(await agents.UpdateAsync(id, code, a => (a with { ExpiresAt = now + TimeSpan.FromDays(days) }, $"expiry set to {days} days from now"), actor, cancellationToken));
            case (IdentityType.Agent, "transfer"):
                var owner = await users.FindAsync(parameters.To ?? "", cancellationToken);
                return owner is not { Offboarded: false }
                    ? ChangeResult<object>.Invalid("to", $"'{parameters.To}' is not an active user")
                    : Box(await agents.UpdateAsync(id, code, a => (a with { OwnerId = owner.Id }, $"owner → {owner.Email}"), actor, cancellationToken));
            case (IdentityType.Agent, "narrow-allowlist"):
                var keys = await ObservedKeysAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                return keys.Count == 0 ? NothingObserved("secret reads", days)
                    : Box(await agents.UpdateAsync(id, code, a => (a with { SecretAllowlist = keys }, $"allowlist narrowed to the keys read in {days} days: {string.Join(",", keys)}"), actor, cancellationToken));
            case (IdentityType.Agent, "allow-observed-ips"):
                var agentIps = await ObservedNetworksAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                return agentIps.Count == 0 ? NothingObserved("uses", days)
                    : Box(await agents.UpdateAsync(id, code, a => (a with { Access = a.Access with { AllowedNetworks = agentIps } }, $"IP allowlist set to {string.Join(", ", agentIps)}"), actor, cancellationToken));
            case (IdentityType.OidcBinding, _):
                return await FixBindingAsync(id, fix, parameters, days, now, actor, cancellationToken);
            default:
                return ChangeResult<object>.Invalid("fix", $"'{fix}' does not apply to a {type}");
        }
    }

    private async Task<ChangeResult<object>> FixBindingAsync(string id, string fix, FixParameters parameters, int days, DateTimeOffset now, AdminActor actor, CancellationToken cancellationToken)
    {
        var binding = (await trust.ListBindingsAsync(cancellationToken)).FirstOrDefault(b => b.Id == id);
        if (binding is null)
        {
            return ChangeResult<object>.NotFound($"binding '{id}' does not exist");
        }

        var issuer = (await trust.ListIssuersAsync(cancellationToken)).First(i => i.Id == binding.IssuerId).Name;
        switch (fix)
        {
            case "disable":
                return Box(await trust.SetBindingEnabledAsync(binding.Name, false, actor, cancellationToken));
            case "transfer":
                var owner = await users.FindAsync(parameters.To ?? "", cancellationToken);
                return owner is not { Offboarded: false }
                    ? ChangeResult<object>.Invalid("to", $"'{parameters.To}' is not an active user")
                    : Box(await trust.SaveBindingAsync(binding with { OwnerId = owner.Id }, issuer, replace: true, actor, cancellationToken));
            case "narrow-allowlist":
                var keys = await ObservedKeysAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                return keys.Count == 0 ? NothingObserved("secret reads", days)
                    : Box(await trust.SaveBindingAsync(binding with { SecretAllowlist = keys }, issuer, replace: true, actor, cancellationToken));
            case "allow-observed-ips":
                var networks = await ObservedNetworksAsync(id, now - TimeSpan.FromDays(days), cancellationToken);
                return networks.Count == 0 ? NothingObserved("uses", days)
                    : Box(await trust.SaveBindingAsync(binding with { ClientIpAllowlist = networks }, issuer, replace: true, actor, cancellationToken));
            default:
                return ChangeResult<object>.Invalid("fix", $"'{fix}' does not apply to a binding");
        }
    }

    private static IEnumerable<FixOption> Fixes(string type, string finding)
    {
        var credential = type != IdentityType.OidcBinding;
        if (credential && finding is "No expiry" or "Expiry beyond policy")
        {
            yield return new("set-expiry", finding, "Set an expiry of N days (days, default 30)");
        }

        if (type == IdentityType.MachineToken && finding.Contains("rotated", StringComparison.Ordinal))
        {
            yield return new("roll", finding, "Roll the token: a new value replaces it atomically (shown once)");
        }

        if (type == IdentityType.MachineToken && finding == "No scope")
        {
            yield return new("narrow-project", finding, "Narrow the scope from the organisation to one project (project)");
        }

        if (finding == "Broad secret scope")
        {
            yield return new("narrow-allowlist", finding, "Narrow the allowlist to the keys actually read in the last N days");
        }

        if (finding == "No IP restriction")
        {
            yield return new("allow-observed-ips", finding, "Allow only the IP addresses the identity was used from in the last N days");
        }

        if (finding.StartsWith("Owner", StringComparison.Ordinal))
        {
            yield return new("transfer", finding, "Transfer to another active owner (to)");
        }

        if (finding.StartsWith("Stale", StringComparison.Ordinal))
        {
            yield return new("disable", finding, "Disable the unused identity");
        }
    }

    private async Task<IReadOnlyList<string>> ObservedKeysAsync(string identityId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var reads = await db.AuditRecords.AsNoTracking()
            .Where(r => r.IdentityId == identityId && r.Action == "secrets:read" && r.Outcome == AuditOutcome.Allowed && r.Timestamp >= since && r.Keys != null)
            .Select(r => r.Keys!).ToListAsync(cancellationToken);
        return reads.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<IReadOnlyList<Cidr>> ObservedNetworksAsync(string identityId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ips = await db.AuditRecords.AsNoTracking()
            .Where(r => r.IdentityId == identityId && r.Outcome == AuditOutcome.Allowed && r.Action != "admin" && r.Timestamp >= since && r.ClientIp != null)
            .Select(r => r.ClientIp!).Distinct().ToListAsync(cancellationToken);
        return ips.Select(IPAddress.Parse).Select(ip => new Cidr(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, ip.IsIPv4MappedToIPv6 || ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
            .Distinct().ToList();
    }

    private static ChangeResult<object> NothingObserved(string what, int days) =>
        ChangeResult<object>.Conflict($"no {what} were recorded in the last {days} days, so there is nothing to narrow to");

    /// <summary>A fix answers what it did, not the changed record (which the identity's own endpoint shows).</summary>
    private static ChangeResult<object> Box<T>(ChangeResult<T> result, Func<T, object>? shape = null) => result.Status == ChangeStatus.Ok
        ? ChangeResult<object>.Ok(shape is null ? new { applied = true } : shape(result.Value!))
        : new ChangeResult<object>(null, result.Status, result.Errors, result.Message);
}
