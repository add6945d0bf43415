using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Data.Users;

/// <summary>Humans: who owns identities, and whose personal tokens administer the server.</summary>
public sealed class UserStore(IDbContextFactory<SecrDbContext> contexts, AdminAudit audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken)).Select(ToDomain).ToList();
    }

    public async Task<User?> FindAsync(string email, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, cancellationToken)) is { } user ? ToDomain(user) : null;
    }

    public async Task<User?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken)) is { } user ? ToDomain(user) : null;
    }

    /// <summary>The active user with this email, or a validation error on <paramref name="field"/> (owners must be active users).</summary>
    public async Task<User?> RequireActiveAsync(string email, string field, List<ValidationError> errors, CancellationToken cancellationToken)
    {
        if (await FindAsync(email, cancellationToken) is { Offboarded: false } user)
        {
            return user;
        }

        errors.Add(new(field, $"'{email}' is not an active user"));
        return null;
    }

    /// <summary>The active user a personal token belongs to; null for an unknown token or an offboarded user.</summary>
    public Task<User?> AuthenticateAsync(string token, CancellationToken cancellationToken) =>
        AuthenticateDigestAsync(CredentialFormat.Digest(token), cancellationToken);

    /// <summary>
    /// The same check by the token's digest, which a console session keeps instead of the token: retiring the token
    /// or offboarding its user ends the session at its next request.
    /// </summary>
    public async Task<User?> AuthenticateDigestAsync(string digest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.PersonalTokens.Where(t => t.Digest == digest)
            .Join(db.Users, t => t.UserId, u => u.Id, (_, u) => u).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return user is { Offboarded: false } ? ToDomain(user) : null;
    }

    public async Task<ChangeResult<User>> CreateAsync(string email, string displayName, UserRole role, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = Validate(email, displayName);
        if (errors.Count > 0)
        {
            return ChangeResult<User>.Invalid(errors);
        }

        // Emails are looked up exactly, on every provider; but two users whose emails differ only in case would be one
        // mailbox and two people in the audit, so that is a conflict too (both sides lower-cased by the database, which
        // every provider translates the same way for the ASCII of an address).
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lowered = email.ToLowerInvariant();
        if (await db.Users.AsNoTracking().Where(u => u.Email.ToLower() == lowered).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken) is { } existing)
        {
            return ChangeResult<User>.Conflict($"a user with email '{existing}' already exists");
        }

        var user = new UserEntity { Id = ScopeStore.NewId("usr"), Email = email, DisplayName = displayName, Role = RoleText(role), CreatedAt = clock.GetUtcNow() };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, "admin.user_created", $"user {email} created with role {user.Role}", null, cancellationToken);
        return ChangeResult<User>.Ok(ToDomain(user));
    }

    /// <summary>Issues a personal admin token for the user; the value is returned once and only its digest is kept.</summary>
    public async Task<ChangeResult<string>> IssuePersonalTokenAsync(string email, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is null || user.Offboarded)
        {
            return ChangeResult<string>.NotFound($"no active user '{email}'");
        }

        var value = CredentialFormat.NewPersonalToken();
        db.PersonalTokens.Add(new PersonalTokenEntity { Digest = CredentialFormat.Digest(value), UserId = user.Id, CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, "admin.personal_token_issued", $"personal token issued to {email}", null, cancellationToken);
        return ChangeResult<string>.Ok(value);
    }

    /// <summary>The bootstrap admin: the user holding the configured or generated first admin credential.</summary>
    public static async Task EnsureBootstrapAdminAsync(SecrDbContext db, string email, string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is null)
        {
            user = new UserEntity { Id = ScopeStore.NewId("usr"), Email = email, DisplayName = "Bootstrap admin", Role = RoleText(UserRole.Admin), CreatedAt = now };
            db.Users.Add(user);
        }

        var digest = CredentialFormat.Digest(token);
        if (!await db.PersonalTokens.AnyAsync(t => t.Digest == digest, cancellationToken))
        {
            db.PersonalTokens.Add(new PersonalTokenEntity { Digest = digest, UserId = user.Id, CreatedAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    internal static User ToDomain(UserEntity e) => new()
    {
        Id = e.Id, Email = e.Email, DisplayName = e.DisplayName, Role = e.Role == "admin" ? UserRole.Admin : UserRole.Member,
        Offboarded = e.Offboarded, CreatedAt = e.CreatedAt, OffboardedAt = e.OffboardedAt,
    };

    public static string RoleText(UserRole role) => role == UserRole.Admin ? "admin" : "member";

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
