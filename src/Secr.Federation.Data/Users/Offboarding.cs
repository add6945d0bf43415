using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;

namespace Secr.Federation.Data.Users;

/// <summary>An identity a user owns, as offboarding lists it.</summary>
public sealed record OwnedIdentity(string Type, string Id, string Name, string Status);

public sealed record OffboardingResult(User User, string Action, IReadOnlyList<OwnedIdentity> Identities);

/// <summary>
/// Offboarding a human: every live identity they own is listed, and the admin must choose to transfer them all to
/// another active user or disable them all; the user's personal tokens stop working in the same transaction.
/// </summary>
public sealed class Offboarding(
    IDbContextFactory<SecrDbContext> contexts, IEnumerable<IIdentityKindStorage> kinds, UserStore users, EfTrustRegistry registry, AdminAudit audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<OwnedIdentity>> OwnedByAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owned = new List<OwnedIdentity>();
        foreach (var kind in kinds)
        {
            owned.AddRange(await kind.OwnedByAsync(db, userId, cancellationToken));
        }

        return owned;
    }

    private AuditedIdentity Audited(OwnedIdentity identity) =>
        kinds.First(k => k.Type == identity.Type).Audited(identity.Id, identity.Name);

    public async Task<ChangeResult<OffboardingResult>> OffboardAsync(string email, string? transferTo, bool disable, AdminActor actor, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(email, cancellationToken);
        if (user is null)
        {
            return ChangeResult<OffboardingResult>.NotFound($"user '{email}' does not exist");
        }

        if (user.Offboarded)
        {
            return ChangeResult<OffboardingResult>.Conflict($"user '{email}' is already offboarded");
        }

        var owned = await OwnedByAsync(user.Id, cancellationToken);
        var errors = new List<ValidationError>();
        var successor = transferTo is null ? null : await users.RequireActiveAsync(transferTo, "transfer_to", errors, cancellationToken);
        if (transferTo is not null && disable)
        {
            errors.Add(new("transfer_to", "choose either transfer_to or disable, not both"));
        }
        else if (owned.Count > 0 && transferTo is null && !disable)
        {
            errors.Add(new("transfer_to", $"{email} owns {owned.Count} identities ({string.Join(", ", owned.Select(o => $"{o.Type} {o.Name}"))}); transfer them (transfer_to) or disable them (disable: true)"));
        }
        else if (successor?.Id == user.Id)
        {
            errors.Add(new("transfer_to", "cannot transfer to the user being offboarded"));
        }

        if (errors.Count > 0)
        {
            return ChangeResult<OffboardingResult>.Invalid(errors);
        }

        var action = successor is not null ? $"transferred to {successor.Email}" : owned.Count > 0 ? "disabled" : "nothing owned";
        if (!await ApplyAsync(user, successor, actor, change =>
            {
                foreach (var identity in owned)
                {
                    change.Record(actor, "admin.offboarding_" + (successor is not null ? "transferred" : "disabled"),
                        $"{identity.Type} '{identity.Name}' of offboarded {email}: {(successor is not null ? $"owner → {successor.Email}" : $"status {identity.Status} → disabled")}",
                        Audited(identity));
                }

                change.Record(actor, "admin.user_offboarded", $"user {email} offboarded; {owned.Count} identities {action}", null);
            }, cancellationToken))
        {
            return LastAdmin.Refusal<OffboardingResult>(email, "offboarding them");
        }

        await registry.InvalidateAsync(CancellationToken.None);
        return ChangeResult<OffboardingResult>.Ok(new OffboardingResult(user with { Offboarded = true }, action, owned));
    }

    /// <summary>
    /// Offboards in one transaction with its audit records (<paramref name="record"/>); false, changing nothing, when the
    /// user is the last active admin (<see cref="LastAdmin"/>).
    /// </summary>
    private async Task<bool> ApplyAsync(User user, User? successor, AdminActor actor, Action<AuditedChange> record, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        if (user.Role == UserRole.Admin && !await LastAdmin.AnotherRemainsAsync(db, user.Id, null, cancellationToken))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        // Recorded as the offboarding admin's: whoever the identities pass to next cannot enable them without an admin.
        var atOffboarding = actor.Disables(Disablement.Offboarding, now);
        foreach (var kind in kinds)
        {
            await (successor is not null
                ? kind.TransferAllAsync(db, user.Id, successor.Id, cancellationToken)
                : kind.DisableAllOwnedAsync(db, user.Id, atOffboarding, cancellationToken));
        }

        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Offboarded, true).SetProperty(u => u.OffboardedAt, now), cancellationToken);
        await db.PersonalTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        record(change);
        await change.CommitAsync(cancellationToken);
        return true;
    }
}
