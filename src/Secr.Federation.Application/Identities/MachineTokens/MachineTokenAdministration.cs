using Secr.Federation.Core.Common;
using Secr.Federation.Core.Events;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Application.Identities.MachineTokens;

/// <summary>
/// What an admin does to machine tokens: create, disable (brownout), enable, revoke, roll, transfer and change. Each
/// validates, applies the organisation's policies, and commits with its audit record (the state before and after) in
/// one <see cref="AuditedChange"/> through <see cref="MachineTokenStore"/>; an illegal change writes nothing.
/// </summary>
public sealed class MachineTokenAdministration(MachineTokenStore tokens, ScopeStore scopes, UserStore users, IPolicyReader policies, AdminAudit audit, TimeProvider clock)
{
    private const string Noun = "machine token";

    public const string TransferredCode = "admin.token_transferred";

    public async Task<ChangeResult<Issued<MachineToken>>> CreateAsync(MachineTokenDraft draft, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        await NewName.CheckAsync(draft.Name, tokens.NameTakenAsync, errors, cancellationToken);
        NewName.CheckDisplayName(draft.DisplayName, errors);

        if (!Names.IsValid(draft.Environment) || draft.Environment.Length > 16)
        {
            errors.Add(new("environment", "must be an environment name of at most 16 characters (it is visible in the token's prefix)"));
        }
        else if (draft.Project is { } project && !await scopes.ExistsAsync(project, draft.Environment, cancellationToken))
        {
            errors.Add(new("environment", $"project '{project}' has no environment '{draft.Environment}'"));
        }

        // Optional, unlike an agent's; when given, it is held to the same rule (a canary can then sit beside what it reads).
        if (draft.SecretAllowlist is not null && SecretAllowlist.Validate(draft.SecretAllowlist) is { } allowlistError)
        {
            errors.Add(new("allow", allowlistError));
        }

        var owner = await users.RequireActiveAsync(draft.OwnerEmail ?? actor.Name, "owner", errors, cancellationToken);
        var now = clock.GetUtcNow();
        await PolicyGate.CheckAsync(policies, true, now, draft.ExpiresIn is { } lifetime ? now + lifetime : null, draft.Permission.ToText(), draft.Environment, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return ChangeResult<Issued<MachineToken>>.Invalid(errors);
        }

        var value = CredentialFormat.NewMachineToken(draft.Environment);
        var token = new MachineToken
        {
            Id = ScopeStore.NewId("mt"), Name = draft.Name, DisplayName = draft.DisplayName, Environment = draft.Environment, Project = draft.Project, Permission = draft.Permission,
            OwnerId = owner!.Id, ExpiresAt = draft.ExpiresIn is { } ttl ? now + ttl : null, Access = draft.Access, SecretAllowlist = draft.SecretAllowlist, Status = IdentityStatus.Active,
            Digest = CredentialFormat.Digest(value), CreatedBy = actor.Name, CreatedAt = now, LastRotatedAt = now,
        };

        await using var change = await audit.BeginAsync(cancellationToken);
        tokens.Add(change, token);
        Record(change, actor, "admin.token_created", token, $"created {token.Permission.ToText()} on {token.Project ?? "the whole organisation"}/{token.Environment}, owner {owner.Email}, expires {token.ExpiresAt?.ToString("O") ?? "never"}{(token.SecretAllowlist is { } keys ? $", allow {string.Join(",", keys)}" : "")}{NewName.ShownAs(token.DisplayName)}");
        await change.CommitAsync(cancellationToken);
        return ChangeResult<Issued<MachineToken>>.Ok(new Issued<MachineToken>(token, value));
    }

    public Task<ChangeResult<MachineToken>> DisableAsync(string id, AdminActor actor, CancellationToken cancellationToken) =>
        TransitionAsync(id, StatusTransition.Disable, "admin.token_disabled", actor, cancellationToken);

    public Task<ChangeResult<MachineToken>> EnableAsync(string id, AdminActor actor, CancellationToken cancellationToken) =>
        TransitionAsync(id, StatusTransition.Enable, "admin.token_enabled", actor, cancellationToken);

    public Task<ChangeResult<MachineToken>> RevokeAsync(string id, AdminActor actor, CancellationToken cancellationToken) =>
        TransitionAsync(id, StatusTransition.Revoke, "admin.token_revoked", actor, cancellationToken);

    /// <summary>
    /// Atomically revokes the token and creates its successor with the same attributes. The revocation is a
    /// conditional update inside the transaction, so of two concurrent rolls exactly one finds the token live. The
    /// successor must satisfy the organisation's policies as a new token must (<see cref="PolicyGate"/>): a roll is not
    /// a way around a <c>max-lifetime</c> or <c>no-read-write-in-…</c> added since. An expired token is rolled only by an
    /// admin: its successor is a live credential again, which is a creation, and creating credentials is an admin's.
    /// </summary>
    public async Task<ChangeResult<Issued<MachineToken>>> RollAsync(string id, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        var old = await tokens.FindAsync(change, id, cancellationToken);
        if (old is null)
        {
            return ChangeResult<Issued<MachineToken>>.NotFound($"machine token '{id}' does not exist");
        }

        var now = clock.GetUtcNow();
        var effective = IdentityStatusText.Effective(old.Status, old.ExpiresAt, now);
        if (effective == IdentityStatus.Revoked)
        {
            return RevokedConflict(id);
        }

        if (effective == IdentityStatus.Expired && !actor.IsAdmin)
        {
            return ChangeResult<Issued<MachineToken>>.Forbidden("identity.roll_requires_admin",
                $"machine token '{id}' expired at {old.ExpiresAt:O}; rolling it would make it live again, which only an admin can do");
        }

        var value = CredentialFormat.NewMachineToken(old.Environment);
        var successor = old with
        {
            // The identity keeps its age (created at); only its credential is new (last rotated at).
            Id = ScopeStore.NewId("mt"), Digest = CredentialFormat.Digest(value), LastRotatedAt = now,
            LastUsedAt = null, LastUsedIp = null, SuccessorId = null,
            // A disabled token's successor stays disabled, by the same hand: a roll does not lift a containment.
            Status = old.Status == IdentityStatus.Disabled ? IdentityStatus.Disabled : IdentityStatus.Active,
            // Whoever rolls a live token still needs it: like enabling, that starts a full auto-disable period, since
            // the new credential has no use yet and the identity's creation may be long past.
            EnabledAt = old.Status == IdentityStatus.Disabled ? old.EnabledAt : now,
            ExpiresAt = old.ExpiresAt is { } expiry ? now + (expiry - (old.LastRotatedAt ?? old.CreatedAt)) : null,
        };

        var errors = new List<ValidationError>();
        await PolicyGate.CheckAsync(policies, true, now, successor.ExpiresAt, successor.Permission.ToText(), successor.Environment, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return ChangeResult<Issued<MachineToken>>.Invalid(errors);
        }

        if (!await tokens.RevokeForSuccessorAsync(change, id, successor.Id, cancellationToken))
        {
            return RevokedConflict(id);
        }

        tokens.Add(change, successor);
        Record(change, actor, "admin.token_rolled", old, $"rolled: {old.Id} revoked, successor {successor.Id}");
        await change.CommitAsync(cancellationToken);
        return ChangeResult<Issued<MachineToken>>.Ok(new Issued<MachineToken>(successor, value));
    }

    /// <summary>
    /// Leak containment's change to token <paramref name="id"/> (<see cref="CredentialStatusChange.ContainLeakAsync"/>), recorded
    /// in <paramref name="change"/> with <paramref name="report"/>; the caller commits. Null when the token is gone.
    /// </summary>
    public async Task<Leaks.Containment?> ContainLeakAsync(AuditedChange change, string id, bool retire, AdminActor actor, string report, CancellationToken cancellationToken)
    {
        if (await CredentialStatusChange.ContainLeakAsync(tokens, change, id, retire, actor, clock.GetUtcNow(), IdentityStatusText.ToText, cancellationToken) is not ({ } identity, var what, var done, var signal))
        {
            return null;
        }

        Record(change, actor, Leaks.LeakContainment.ContainedCode, identity, $"{report}; {what}", signal);
        return new Leaks.Containment(done, signal is not null);
    }

    private static ChangeResult<Issued<MachineToken>> RevokedConflict(string id) =>
        ChangeResult<Issued<MachineToken>>.Conflict($"machine token '{id}' is revoked; only a live token can be rolled");

    /// <summary>Sets or removes (null) the name people are shown; the slug, which everything else refers to, stays.</summary>
    public Task<ChangeResult<MachineToken>> SetDisplayNameAsync(string id, string? displayName, AdminActor actor, CancellationToken cancellationToken) =>
        DisplayNames.Error(displayName) is { } error
            ? Task.FromResult(ChangeResult<MachineToken>.Invalid("display_name", error))
            : UpdateAsync(id, "admin.token_display_name_set", t => (t with { DisplayName = displayName }, NewName.DisplayNameSet(displayName)), actor, cancellationToken);

    /// <summary>Changes attributes of a live token (a remediation fix); <paramref name="change"/> returns a description, or null to refuse.</summary>
    public async Task<ChangeResult<MachineToken>> UpdateAsync(string id, string code, Func<MachineToken, (MachineToken Changed, string What)?> change, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var audited = await audit.BeginAsync(cancellationToken);
        return await CredentialUpdate.ApplyAsync(tokens, audited, id, Noun, change, (_, _) => null,
            (token, what) => Record(audited, actor, code, token, what), cancellationToken);
    }

    public async Task<ChangeResult<MachineToken>> TransferAsync(string id, string toEmail, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        var owner = await users.RequireActiveAsync(toEmail, "to", errors, cancellationToken);
        if (errors.Count > 0)
        {
            return ChangeResult<MachineToken>.Invalid(errors);
        }

        await using var change = await audit.BeginAsync(cancellationToken);
        if (await tokens.FindAsync(change, id, cancellationToken) is not { } before)
        {
            return ChangeResult<MachineToken>.NotFound($"machine token '{id}' does not exist");
        }

        var token = before with { OwnerId = owner!.Id };
        await tokens.UpdateAsync(change, token, cancellationToken);
        Record(change, actor, TransferredCode, token, $"owner {before.OwnerId} → {owner.Id} ({owner.Email})");
        await change.CommitAsync(cancellationToken);
        return ChangeResult<MachineToken>.Ok(token);
    }

    private async Task<ChangeResult<MachineToken>> TransitionAsync(string id, StatusTransition transition, string code, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        return await CredentialStatusChange.ApplyAsync(tokens, change, id, Noun, IdentityStatusText.ToText, transition, actor, users, clock.GetUtcNow(),
            (token, what) => Record(change, actor, code, token, what), cancellationToken);
    }

    private static void Record(AuditedChange change, AdminActor actor, string code, MachineToken token, string what, SecurityEventKind? signal = null) =>
        change.Record(actor, code, $"machine token '{token.Name}' ({token.Id}): {what}",
            new AuditedIdentity(IdentityType.MachineToken, token.Id, token.Name, token.Project, token.Environment), signal);
}
