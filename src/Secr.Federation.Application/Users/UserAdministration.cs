using System.Net.Mail;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Application.Users;

/// <summary>
/// What an admin does to humans: add them, change their role, issue and revoke their personal tokens, and recover
/// admin access from the server host. Each commits with its audit record in one <see cref="AuditedChange"/>; no change
/// may leave the server without an admin who can sign in (<see cref="LastAdmin"/>).
/// </summary>
public sealed class UserAdministration(UserStore users, AdminAudit audit, TimeProvider clock)
{
    private const string RecoveredAdmin = "Recovered admin";

    public async Task<ChangeResult<User>> CreateAsync(string email, string displayName, UserRole role, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = Validate(email, displayName);
        if (errors.Count > 0)
        {
            return ChangeResult<User>.Invalid(errors);
        }

        await using var change = await audit.BeginAsync(cancellationToken);
        if (await users.EmailTakenAsync(change, email, cancellationToken) is { } existing)
        {
            return ChangeResult<User>.Conflict($"a user with email '{existing}' already exists");
        }

        var user = new User { Id = ScopeStore.NewId("usr"), Email = email, DisplayName = displayName, Role = role, Offboarded = false, CreatedAt = clock.GetUtcNow() };
        users.Add(change, user);
        change.Record(actor, "admin.user_created", $"user {email} created with role {UserStore.RoleText(role)}", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<User>.Ok(user);
    }

    /// <summary>Issues a personal admin token for the user; the value is returned once and only its digest is kept.</summary>
    public async Task<ChangeResult<string>> IssuePersonalTokenAsync(string email, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (await users.FindAsync(change, email, cancellationToken) is not { Offboarded: false } user)
        {
            return ChangeResult<string>.NotFound($"no active user '{email}'");
        }

        var value = CredentialFormat.NewPersonalToken();
        users.AddPersonalToken(change, user, CredentialFormat.Digest(value), clock.GetUtcNow());
        change.Record(actor, "admin.personal_token_issued", $"personal token issued to {email}", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<string>.Ok(value);
    }

    /// <summary>
    /// Changes a user's role. Demoting the last active admin who holds a token is refused (<see cref="LastAdmin"/>);
    /// asking for the role the user already has changes nothing and records nothing.
    /// </summary>
    public async Task<ChangeResult<User>> ChangeRoleAsync(string email, UserRole role, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (await users.FindAsync(change, email, cancellationToken) is not { } user)
        {
            return ChangeResult<User>.NotFound($"user '{email}' does not exist");
        }

        if (user.Offboarded)
        {
            return ChangeResult<User>.Conflict($"user '{email}' is offboarded");
        }

        if (user.Role == role)
        {
            return ChangeResult<User>.Ok(user);
        }

        if (role == UserRole.Member && !await users.AnotherAdminRemainsAsync(change, user.Id, null, cancellationToken))
        {
            return LastAdmin.Refusal<User>(email, "making them a member");
        }

        var changed = user with { Role = role };
        await users.UpdateAsync(change, changed, cancellationToken);
        change.Record(actor, "admin.user_role_changed", $"user {email} role {UserStore.RoleText(user.Role)} → {UserStore.RoleText(role)}", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<User>.Ok(changed);
    }

    /// <summary>Retires one personal token at once; the last token of the last active admin is refused (<see cref="LastAdmin"/>).</summary>
    public async Task<ChangeResult<PersonalTokenInfo>> RevokePersonalTokenAsync(string email, string id, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        var user = await users.FindAsync(change, email, cancellationToken);
        if (user is null || await users.FindPersonalTokenAsync(change, user, id, cancellationToken) is not { } token)
        {
            return ChangeResult<PersonalTokenInfo>.NotFound($"user '{email}' has no personal token '{id}' (see secr user token list {email})");
        }

        if (user is { Role: UserRole.Admin, Offboarded: false } && !await users.AnotherAdminRemainsAsync(change, null, token.Digest, cancellationToken))
        {
            return LastAdmin.Refusal<PersonalTokenInfo>(email, "revoking their last token");
        }

        await users.RemovePersonalTokenAsync(change, token, cancellationToken);
        change.Record(actor, "admin.personal_token_revoked", $"personal token {id} of {email} revoked", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<PersonalTokenInfo>.Ok(new PersonalTokenInfo(id, token.CreatedAt));
    }

    /// <summary>
    /// Recovery from a lockout, run on the server host (<c>Secr.Federation.Server recover-admin</c>), whose access to the
    /// database is the authority: (re)activates or creates <paramref name="email"/> as an admin and issues a personal
    /// token, audited with the code <c>admin.user_recovered</c>.
    /// </summary>
    public async Task<ChangeResult<string>> RecoverAdminAsync(string email, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = Validate(email, RecoveredAdmin);
        if (errors.Count > 0)
        {
            return ChangeResult<string>.Invalid(errors);
        }

        await using var change = await audit.BeginAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var user = await users.FindAsync(change, email, cancellationToken);
        var before = user is null ? "created" : user.Offboarded ? "reactivated" : user.Role == UserRole.Admin ? "kept" : "promoted";
        if (user is null)
        {
            user = new User { Id = ScopeStore.NewId("usr"), Email = email, DisplayName = RecoveredAdmin, Role = UserRole.Admin, Offboarded = false, CreatedAt = now };
            users.Add(change, user);
        }
        else
        {
            user = user with { Role = UserRole.Admin, Offboarded = false, OffboardedAt = null };
            await users.UpdateAsync(change, user, cancellationToken);
        }

        var value = CredentialFormat.NewPersonalToken();
        users.AddPersonalToken(change, user, CredentialFormat.Digest(value), now);
        change.Record(actor, "admin.user_recovered", $"user {email} {before} as an admin by the recovery command on the server host; personal token issued", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<string>.Ok(value);
    }

    private static List<ValidationError> Validate(string email, string displayName)
    {
        var errors = new List<ValidationError>();
        if (email is not { Length: > 3 and <= 254 } || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || email.Any(char.IsWhiteSpace))
        {
            errors.Add(new("email", "must be a plain email address such as alice@example.com"));
        }

        if (displayName is not { Length: > 0 and <= 128 } || displayName.Any(char.IsControl))
        {
            errors.Add(new("display_name", "must be 1 to 128 printable characters"));
        }

        return errors;
    }
}
