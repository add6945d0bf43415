using Secr.Federation.Core.Common;
using Secr.Federation.Core.Events;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Application.Identities.Agents;

/// <summary>
/// What an admin does to agents: create them with a mandatory expiry and secret allowlist, disable and enable them as
/// machine tokens are (<see cref="CredentialStatusChange"/>), kill them at once and for good, and change them. Each
/// commits with its audit record in one <see cref="AuditedChange"/> through <see cref="AgentStore"/>.
/// </summary>
public sealed class AgentAdministration(AgentStore agents, ScopeStore scopes, UserStore users, IPolicyReader policies, AdminAudit audit, CredentialOptions options, TimeProvider clock)
{
    public async Task<ChangeResult<Issued<AgentIdentity>>> CreateAsync(AgentDraft draft, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        await NewName.CheckAsync(draft.Name, agents.NameTakenAsync, errors, cancellationToken);
        NewName.CheckDisplayName(draft.DisplayName, errors);

        if (LifetimeError(draft.ExpiresIn) is { } lifetimeError)
        {
            errors.Add(lifetimeError);
        }

        if (SecretAllowlist.Validate(draft.SecretAllowlist, draft.AllowAllSecrets) is { } allowlistError)
        {
            errors.Add(new("allow", allowlistError));
        }

        if (!await scopes.ExistsAsync(draft.Project, draft.Environment, cancellationToken))
        {
            errors.Add(new("environment", $"project '{draft.Project}' has no environment '{draft.Environment}'"));
        }

        var owner = await users.RequireActiveAsync(draft.OwnerEmail ?? actor.Name, "owner", errors, cancellationToken);
        var now = clock.GetUtcNow();
        await PolicyGate.CheckAsync(policies, true, now, now + draft.ExpiresIn, PermissionText.Read, draft.Environment, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return ChangeResult<Issued<AgentIdentity>>.Invalid(errors);
        }

        var value = CredentialFormat.NewAgentToken();
        var agent = new AgentIdentity
        {
            Id = ScopeStore.NewId("agt"), Name = draft.Name, DisplayName = draft.DisplayName, Project = draft.Project, Environment = draft.Environment, OwnerId = owner!.Id,
            ExpiresAt = now + draft.ExpiresIn!.Value, SecretAllowlist = draft.AllowAllSecrets ? SecretAllowlist.Everything : draft.SecretAllowlist!, Access = draft.Access,
            Status = IdentityStatus.Active,
            Digest = CredentialFormat.Digest(value), CreatedBy = actor.Name, CreatedAt = now,
        };

        await using var change = await audit.BeginAsync(cancellationToken);
        agents.Add(change, agent);
        // Like a binding's allow_broad_match: the acknowledgement is in the record, for whoever reviews it later.
        var allow = draft.AllowAllSecrets ? $"allow_all_secrets: it may read every secret of {agent.Project}/{agent.Environment}" : $"allow {string.Join(",", agent.SecretAllowlist)}";
        Record(change, actor, "admin.agent_created", agent, $"created on {agent.Project}/{agent.Environment}, {allow}, owner {owner.Email}, expires {agent.ExpiresAt:O}{NewName.ShownAs(agent.DisplayName)}");
        await change.CommitAsync(cancellationToken);
        return ChangeResult<Issued<AgentIdentity>>.Ok(new Issued<AgentIdentity>(agent, value));
    }

    /// <summary>Sets or removes (null) the name people are shown; the slug, which everything else refers to, stays.</summary>
    public Task<ChangeResult<AgentIdentity>> SetDisplayNameAsync(string id, string? displayName, AdminActor actor, CancellationToken cancellationToken) =>
        DisplayNames.Error(displayName) is { } error
            ? Task.FromResult(ChangeResult<AgentIdentity>.Invalid("display_name", error))
            : UpdateAsync(id, "admin.agent_display_name_set", t => (t with { DisplayName = displayName }, NewName.DisplayNameSet(displayName)), actor, cancellationToken);

    /// <summary>
    /// Changes attributes of an agent (a remediation fix); <paramref name="change"/> returns null to refuse. A new expiry
    /// is held to the longest an agent may live, as at creation, however the change was reached.
    /// </summary>
    public async Task<ChangeResult<AgentIdentity>> UpdateAsync(string id, string code, Func<AgentIdentity, (AgentIdentity Changed, string What)?> change, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var audited = await audit.BeginAsync(cancellationToken);
        return await CredentialUpdate.ApplyAsync(agents, audited, id, "agent", change,
            (before, after) => after.ExpiresAt == before.ExpiresAt ? null : LifetimeError(after.ExpiresAt - clock.GetUtcNow()),
            (agent, what) => Record(audited, actor, code, agent, what), cancellationToken);
    }

    /// <summary>Brownout, as for a machine token: every use is refused until the agent is enabled again; a killed agent stays killed.</summary>
    public Task<ChangeResult<AgentIdentity>> DisableAsync(string id, AdminActor actor, CancellationToken cancellationToken) =>
        TransitionAsync(id, StatusTransition.Disable, "admin.agent_disabled", actor, cancellationToken);

    public Task<ChangeResult<AgentIdentity>> EnableAsync(string id, AdminActor actor, CancellationToken cancellationToken) =>
        TransitionAsync(id, StatusTransition.Enable, "admin.agent_enabled", actor, cancellationToken);

    /// <summary>The kill switch: permanent, effective on the very next request (the token endpoint reads the status every time).</summary>
    public async Task<ChangeResult<AgentIdentity>> KillAsync(string id, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (await agents.FindAsync(change, id, cancellationToken) is not { } agent)
        {
            return ChangeResult<AgentIdentity>.NotFound($"agent '{id}' does not exist");
        }

        if (!await agents.KillAsync(change, id, cancellationToken))
        {
            return ChangeResult<AgentIdentity>.Conflict($"agent '{id}' was already killed");
        }

        var killed = agent with { Status = IdentityStatus.Revoked };
        Record(change, actor, "admin.agent_killed", killed, $"kill switch: status {agent.Status.ToText()} → killed");
        await change.CommitAsync(cancellationToken);
        return ChangeResult<AgentIdentity>.Ok(killed);
    }

    /// <summary>
    /// Leak containment's change to agent <paramref name="id"/> (<see cref="CredentialStatusChange.ContainLeakAsync"/>): disabled,
    /// or killed; recorded in <paramref name="change"/> with <paramref name="report"/>; the caller commits. Null when the agent is gone.
    /// </summary>
    public async Task<Leaks.Containment?> ContainLeakAsync(AuditedChange change, string id, bool retire, AdminActor actor, string report, CancellationToken cancellationToken)
    {
        if (await CredentialStatusChange.ContainLeakAsync(agents, change, id, retire, actor, clock.GetUtcNow(), AgentIdentity.StatusText, cancellationToken) is not ({ } identity, var what, var done, var signal))
        {
            return null;
        }

        Record(change, actor, Leaks.LeakContainment.ContainedCode, identity, $"{report}; {what}", signal);
        return new Leaks.Containment(done, signal is not null);
    }

    private async Task<ChangeResult<AgentIdentity>> TransitionAsync(string id, StatusTransition transition, string code, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        return await CredentialStatusChange.ApplyAsync(agents, change, id, "agent", AgentIdentity.StatusText, transition, actor, users, clock.GetUtcNow(),
            (agent, what) => Record(change, actor, code, agent, what), cancellationToken);
    }

    /// <summary>Every agent expires, at most <c>Secr:Credentials:MaxAgentLifetime</c> from now: null when <paramref name="lifetime"/> complies.</summary>
    private ValidationError? LifetimeError(TimeSpan? lifetime) => lifetime is { } within && within <= options.MaxAgentLifetime ? null
        : new("expires", $"an agent must expire, at most {DurationText.Format(options.MaxAgentLifetime)} from now (Secr:Credentials:MaxAgentLifetime)");

    private static void Record(AuditedChange change, AdminActor actor, string code, AgentIdentity agent, string what, SecurityEventKind? signal = null) =>
        change.Record(actor, code, $"agent '{agent.Name}' ({agent.Id}): {what}",
            new AuditedIdentity(IdentityType.Agent, agent.Id, agent.Name, agent.Project, agent.Environment), signal);
}
