using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Data.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Data.Identities;

/// <summary>
/// Machine token lifecycle: create, disable (brownout), enable, revoke, roll, transfer. Every transition is checked
/// against the effective status, written, and audited with the state before and after; illegal ones change nothing.
/// </summary>
public sealed class MachineTokenStore(IDbContextFactory<SecrDbContext> contexts, ScopeStore scopes, UserStore users, IPolicyReader policies, AdminAudit audit, TimeProvider clock)
{
    private const string Noun = "machine token";

    public async Task<IReadOnlyList<MachineToken>> ListAsync(string? environment, IdentityStatus? status, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.MachineTokens.AsNoTracking();
        if (environment is not null)
        {
            query = query.Where(t => t.Environment == environment);
        }

        var now = clock.GetUtcNow();
        return (await query.OrderBy(t => t.Name).ThenBy(t => t.CreatedAt).ToListAsync(cancellationToken)).Select(t => t.ToDomain())
            .Where(t => status is null || IdentityStatusText.Effective(t.Status, t.ExpiresAt, now) == status).ToList();
    }

    public async Task<MachineToken?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.MachineTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken))?.ToDomain();
    }

    /// <summary>The token a command names by id or name (<see cref="NameOrId"/>): a name means the live token, the successor of a roll.</summary>
    public async Task<NameOrId> ResolveAsync(string nameOrId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await NameOrId.ResolveAsync(db.MachineTokens, nameOrId, Noun, t => t.LastRotatedAt ?? t.CreatedAt, cancellationToken);
    }

    public async Task<ChangeResult<Issued<MachineToken>>> CreateAsync(MachineTokenDraft draft, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (!Names.IsValid(draft.Name))
        {
            errors.Add(new("name", $"must be {Names.Rule}"));
        }
        else if (await NameTakenAsync(draft.Name, cancellationToken) is { } taken)
        {
            errors.Add(new("name", taken));
        }

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
            Id = ScopeStore.NewId("mt"), Name = draft.Name, Environment = draft.Environment, Project = draft.Project, Permission = draft.Permission,
            OwnerId = owner!.Id, ExpiresAt = draft.ExpiresIn is { } ttl ? now + ttl : null, Access = draft.Access, SecretAllowlist = draft.SecretAllowlist, Status = IdentityStatus.Active,
            Digest = CredentialFormat.Digest(value), CreatedBy = actor.Name, CreatedAt = now, LastRotatedAt = now,
        };

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        db.MachineTokens.Add(token.ToEntity());
        Record(change, actor, "admin.token_created", token, $"created {token.Permission.ToText()} on {token.Project ?? "the whole organisation"}/{token.Environment}, owner {owner.Email}, expires {token.ExpiresAt?.ToString("O") ?? "never"}{(token.SecretAllowlist is { } keys ? $", allow {string.Join(",", keys)}" : "")}");
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
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var old = (await db.MachineTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken))?.ToDomain();
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

        var revoked = IdentityStatus.Revoked.ToText();
        var updated = await db.MachineTokens.Where(t => t.Id == id && t.Status != revoked)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, revoked).SetProperty(t => t.SuccessorId, successor.Id), cancellationToken);
        if (updated == 0)
        {
            return RevokedConflict(id);
        }

        db.MachineTokens.Add(successor.ToEntity());
        Record(change, actor, "admin.token_rolled", old, $"rolled: {old.Id} revoked, successor {successor.Id}");
        await change.CommitAsync(cancellationToken);
        return ChangeResult<Issued<MachineToken>>.Ok(new Issued<MachineToken>(successor, value));
    }

    private async Task<string?> NameTakenAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await NameOrId.TakenAsync(db.MachineTokens, name, "a", Noun, cancellationToken);
    }

    private static ChangeResult<Issued<MachineToken>> RevokedConflict(string id) =>
        ChangeResult<Issued<MachineToken>>.Conflict($"machine token '{id}' is revoked; only a live token can be rolled");

    /// <summary>Changes attributes of a live token (a remediation fix); <paramref name="change"/> returns a description, or null to refuse.</summary>
    public async Task<ChangeResult<MachineToken>> UpdateAsync(string id, string code, Func<MachineToken, (MachineToken Changed, string What)?> change, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var audited = await audit.BeginAsync(db, cancellationToken);
        var entity = await db.MachineTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (entity is null)
        {
            return ChangeResult<MachineToken>.NotFound($"machine token '{id}' does not exist");
        }

        if (change(entity.ToDomain()) is not { } result)
        {
            return ChangeResult<MachineToken>.Conflict($"the change does not apply to machine token '{id}'");
        }

        var updated = result.Changed.ToEntity();
        db.Entry(entity).CurrentValues.SetValues(updated);
        Record(audited, actor, code, result.Changed, result.What);
        await audited.CommitAsync(cancellationToken);
        return ChangeResult<MachineToken>.Ok(result.Changed);
    }

    public async Task<ChangeResult<MachineToken>> TransferAsync(string id, string toEmail, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        var owner = await users.RequireActiveAsync(toEmail, "to", errors, cancellationToken);
        if (errors.Count > 0)
        {
            return ChangeResult<MachineToken>.Invalid(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var entity = await db.MachineTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (entity is null)
        {
            return ChangeResult<MachineToken>.NotFound($"machine token '{id}' does not exist");
        }

        var before = entity.OwnerId;
        entity.OwnerId = owner!.Id;
        var token = entity.ToDomain();
        Record(change, actor, "admin.token_transferred", token, $"owner {before} → {owner.Id} ({owner.Email})");
        await change.CommitAsync(cancellationToken);
        return ChangeResult<MachineToken>.Ok(token);
    }

    private async Task<ChangeResult<MachineToken>> TransitionAsync(string id, StatusTransition transition, string code, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        return await transition.ApplyAsync(db.MachineTokens, id, "machine token", IdentityStatusText.ToText, actor, users, clock.GetUtcNow(), change, (row, what) =>
        {
            var token = row.ToDomain();
            Record(change, actor, code, token, what);
            return token;
        }, cancellationToken);
    }

    private static void Record(AuditedChange change, AdminActor actor, string code, MachineToken token, string what) =>
        change.Record(actor, code, $"machine token '{token.Name}' ({token.Id}): {what}",
            new AuditedIdentity(IdentityType.MachineToken, token.Id, token.Name, token.Project, token.Environment));
}
