using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Data.Users;

/// <summary>A personal token as listed: its id (<see cref="UserStore.PersonalTokenId"/>) and when it was issued.</summary>
public sealed record PersonalTokenInfo(string Id, DateTimeOffset CreatedAt);

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
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var lowered = email.ToLowerInvariant();
        if (await db.Users.AsNoTracking().Where(u => u.Email.ToLower() == lowered).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken) is { } existing)
        {
            return ChangeResult<User>.Conflict($"a user with email '{existing}' already exists");
        }

        var user = new UserEntity { Id = ScopeStore.NewId("usr"), Email = email, DisplayName = displayName, Role = RoleText(role), CreatedAt = clock.GetUtcNow() };
        db.Users.Add(user);
        change.Record(actor, "admin.user_created", $"user {email} created with role {user.Role}", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<User>.Ok(ToDomain(user));
    }

    /// <summary>Issues a personal admin token for the user; the value is returned once and only its digest is kept.</summary>
    public async Task<ChangeResult<string>> IssuePersonalTokenAsync(string email, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is null || user.Offboarded)
        {
            return ChangeResult<string>.NotFound($"no active user '{email}'");
        }

        var value = CredentialFormat.NewPersonalToken();
        db.PersonalTokens.Add(new PersonalTokenEntity { Digest = CredentialFormat.Digest(value), UserId = user.Id, CreatedAt = clock.GetUtcNow() });
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
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is null)
        {
            return ChangeResult<User>.NotFound($"user '{email}' does not exist");
        }

        if (user.Offboarded)
        {
            return ChangeResult<User>.Conflict($"user '{email}' is offboarded");
        }

        var (from, to) = (user.Role, RoleText(role));
        if (from == to)
        {
            return ChangeResult<User>.Ok(ToDomain(user));
        }

        if (role == UserRole.Member && !await LastAdmin.AnotherRemainsAsync(db, user.Id, null, cancellationToken))
        {
            return LastAdmin.Refusal<User>(email, "making them a member");
        }

        user.Role = to;
        change.Record(actor, "admin.user_role_changed", $"user {email} role {from} → {to}", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<User>.Ok(ToDomain(user));
    }

    /// <summary>A user's personal tokens, by id and date: never a value, which is not kept.</summary>
    public async Task<ChangeResult<IReadOnlyList<PersonalTokenInfo>>> ListPersonalTokensAsync(string email, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, cancellationToken) is not { } user)
        {
            return ChangeResult<IReadOnlyList<PersonalTokenInfo>>.NotFound($"user '{email}' does not exist");
        }

        var tokens = await db.PersonalTokens.AsNoTracking().Where(t => t.UserId == user.Id).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
        return ChangeResult<IReadOnlyList<PersonalTokenInfo>>.Ok(tokens.Select(t => new PersonalTokenInfo(PersonalTokenId(t.Digest), t.CreatedAt)).ToList());
    }

    /// <summary>Retires one personal token at once; the last token of the last active admin is refused (<see cref="LastAdmin"/>).</summary>
    public async Task<ChangeResult<PersonalTokenInfo>> RevokePersonalTokenAsync(string email, string id, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        var prefix = id.StartsWith(PersonalTokenIdPrefix, StringComparison.Ordinal) && id.Length == PersonalTokenIdPrefix.Length + PersonalTokenIdDigits
            ? id[PersonalTokenIdPrefix.Length..].ToUpperInvariant()
            : null;
        var tokens = user is null || prefix is null || !prefix.All(char.IsAsciiHexDigit)
            ? []
            : await db.PersonalTokens.Where(t => t.UserId == user.Id && t.Digest.StartsWith(prefix)).ToListAsync(cancellationToken);
        if (tokens is not [var token])
        {
            return ChangeResult<PersonalTokenInfo>.NotFound($"user '{email}' has no personal token '{id}' (see secr user token list {email})");
        }

        if (user!.Role == RoleText(UserRole.Admin) && !user.Offboarded && !await LastAdmin.AnotherRemainsAsync(db, null, token.Digest, cancellationToken))
        {
            return LastAdmin.Refusal<PersonalTokenInfo>(email, "revoking their last token");
        }

        db.PersonalTokens.Remove(token);
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

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        var before = user is null ? "created" : user.Offboarded ? "reactivated" : user.Role == RoleText(UserRole.Admin) ? "kept" : "promoted";
        if (user is null)
        {
            user = new UserEntity { Id = ScopeStore.NewId("usr"), Email = email, DisplayName = RecoveredAdmin, Role = RoleText(UserRole.Admin), CreatedAt = clock.GetUtcNow() };
            db.Users.Add(user);
        }

        user.Role = RoleText(UserRole.Admin);
        user.Offboarded = false;
        user.OffboardedAt = null;
        var value = CredentialFormat.NewPersonalToken();
        db.PersonalTokens.Add(new PersonalTokenEntity { Digest = CredentialFormat.Digest(value), UserId = user.Id, CreatedAt = clock.GetUtcNow() });
        change.Record(actor, "admin.user_recovered", $"user {email} {before} as an admin by the recovery command on the server host; personal token issued", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<string>.Ok(value);
    }

    /// <summary>Whether any active admin holds a personal token, i.e. whether anyone can administer the server.</summary>
    public async Task<bool> AnyAdminCanSignInAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await LastAdmin.TokensOfActiveAdmins(db).AnyAsync(cancellationToken);
    }

    /// <summary>
    /// A personal token's public id: <c>pat_</c> and the first 16 hex digits of its SHA-256 digest, so its holder can
    /// tell which one it is and the value is never needed to name it.
    /// </summary>
    public static string PersonalTokenId(string digest) => PersonalTokenIdPrefix + digest[..PersonalTokenIdDigits].ToLowerInvariant();

    private const string PersonalTokenIdPrefix = "pat_";
    private const int PersonalTokenIdDigits = 16;
    private const string RecoveredAdmin = "Recovered admin";

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
