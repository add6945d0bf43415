using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Application.Users;

public sealed record OffboardingResult(User User, string Action, IReadOnlyList<OwnedIdentity> Identities);

/// <summary>
/// Offboarding a human: every live identity they own is listed, and the admin must choose to transfer them all to
/// another active user or disable them all; the user's personal tokens stop working in the same transaction, which
/// carries a record for each identity and one for the user.
/// </summary>
public sealed class Offboarding(OwnedIdentities identities, UserStore users, AdminAudit audit, TimeProvider clock)
{
    public const string OffboardedCode = "admin.user_offboarded";
    public const string TransferredCode = "admin.offboarding_transferred";
    public const string DisabledCode = "admin.offboarding_disabled";

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

        var owned = await identities.OwnedByAsync(user.Id, cancellationToken);
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

        await using var change = await audit.BeginAsync(cancellationToken);
        if (user.Role == UserRole.Admin && !await users.AnotherAdminRemainsAsync(change, user.Id, null, cancellationToken))
        {
            return LastAdmin.Refusal<OffboardingResult>(email, "offboarding them");
        }

        var now = clock.GetUtcNow();
        if (successor is not null)
        {
            await identities.TransferAllAsync(change, user.Id, successor.Id, cancellationToken);
        }
        else
        {
            // Recorded as the offboarding admin's: whoever the identities pass to next cannot enable them without an admin.
            await identities.DisableAllAsync(change, user.Id, actor.Disables(Disablement.Offboarding, now), cancellationToken);
        }

        await users.OffboardAsync(change, user.Id, now, cancellationToken);
        foreach (var identity in owned)
        {
            change.Record(actor, successor is not null ? TransferredCode : DisabledCode,
                $"{identity.Type} '{identity.Name}' of offboarded {email}: {(successor is not null ? $"owner → {successor.Email}" : $"status {identity.Status} → disabled")}",
                identities.Audited(identity));
        }

        var action = successor is not null ? $"transferred to {successor.Email}" : owned.Count > 0 ? "disabled" : "nothing owned";
        change.Record(actor, OffboardedCode, $"user {email} offboarded; {owned.Count} identities {action}", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<OffboardingResult>.Ok(new OffboardingResult(user with { Offboarded = true }, action, owned));
    }
}
