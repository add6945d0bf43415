using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Data.Users;

/// <summary>A personal token as listed: its id (<see cref="UserStore.PersonalTokenId"/>) and when it was issued.</summary>
public sealed record PersonalTokenInfo(string Id, DateTimeOffset CreatedAt);

/// <summary>A stored personal token: its digest (never a value, which is not kept) and when it was issued.</summary>
public sealed record StoredPersonalToken(string Digest, DateTimeOffset CreatedAt);

/// <summary>
/// Humans as stored: who owns identities, and whose personal tokens administer the server. The queries, and the row
/// operations an admin change makes inside its <see cref="AuditedChange"/>; what may change, and how it is audited, is
/// the application's (<c>UserAdministration</c>, <c>Offboarding</c>).
/// </summary>
public sealed class UserStore(IDbContextFactory<SecrDbContext> contexts)
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

    /// <summary>
    /// The email of a user whose address differs from <paramref name="email"/> at most in case, or null. Emails are
    /// looked up exactly, on every provider; but two users whose emails differ only in case would be one mailbox and two
    /// people in the audit (both sides lower-cased by the database, which every provider translates the same way for the
    /// ASCII of an address).
    /// </summary>
    public async Task<string?> EmailTakenAsync(AuditedChange change, string email, CancellationToken cancellationToken)
    {
        var lowered = email.ToLowerInvariant();
        return await change.Db.Users.AsNoTracking().Where(u => u.Email.ToLower() == lowered).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<User?> FindAsync(AuditedChange change, string email, CancellationToken cancellationToken) =>
        (await change.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, cancellationToken)) is { } user ? ToDomain(user) : null;

    public void Add(AuditedChange change, User user) => change.Db.Users.Add(new UserEntity
    {
        Id = user.Id, Email = user.Email, DisplayName = user.DisplayName, Role = RoleText(user.Role), Offboarded = user.Offboarded, CreatedAt = user.CreatedAt,
        OffboardedAt = user.OffboardedAt,
    });

    /// <summary>Writes <paramref name="changed"/>'s role and offboarding state over the stored user of its id.</summary>
    public async Task UpdateAsync(AuditedChange change, User changed, CancellationToken cancellationToken)
    {
        var entity = await change.Db.Users.FirstAsync(u => u.Id == changed.Id, cancellationToken);
        (entity.Role, entity.Offboarded, entity.OffboardedAt) = (RoleText(changed.Role), changed.Offboarded, changed.OffboardedAt);
    }

    /// <summary>Offboards the user at <paramref name="at"/>; their personal tokens stop working in the same change.</summary>
    public async Task OffboardAsync(AuditedChange change, string userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await change.Db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Offboarded, true).SetProperty(u => u.OffboardedAt, at), cancellationToken);
        await change.Db.PersonalTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    public void AddPersonalToken(AuditedChange change, User user, string digest, DateTimeOffset at) =>
        change.Db.PersonalTokens.Add(new PersonalTokenEntity { Digest = digest, UserId = user.Id, CreatedAt = at });

    /// <summary>The user's personal token of public id <paramref name="id"/> (<see cref="PersonalTokenId"/>), or null.</summary>
    public async Task<StoredPersonalToken?> FindPersonalTokenAsync(AuditedChange change, User user, string id, CancellationToken cancellationToken)
    {
        if (DigestPrefix(id) is not { } prefix)
        {
            return null;
        }

        var tokens = await change.Db.PersonalTokens.AsNoTracking().Where(t => t.UserId == user.Id && t.Digest.StartsWith(prefix)).ToListAsync(cancellationToken);
        return tokens is [var token] ? new StoredPersonalToken(token.Digest, token.CreatedAt) : null;
    }

    /// <summary>Removes the personal token of public id <paramref name="id"/>, whoever holds it; the number removed (0 or 1).</summary>
    public async Task<int> RemovePersonalTokenByIdAsync(AuditedChange change, string id, CancellationToken cancellationToken)
    {
        if (DigestPrefix(id) is not { } prefix)
        {
            return 0;
        }

        var digests = await change.Db.PersonalTokens.AsNoTracking().Where(t => t.Digest.StartsWith(prefix)).Select(t => t.Digest).ToListAsync(cancellationToken);
        return digests is [var digest] ? await change.Db.PersonalTokens.Where(t => t.Digest == digest).ExecuteDeleteAsync(cancellationToken) : 0;
    }

    public async Task RemovePersonalTokenAsync(AuditedChange change, StoredPersonalToken token, CancellationToken cancellationToken) =>
        await change.Db.PersonalTokens.Where(t => t.Digest == token.Digest).ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// Whether an active admin keeps a token once the user <paramref name="leavingUserId"/>, or the token with
    /// <paramref name="leavingDigest"/>, is gone (<see cref="LastAdmin"/>); such changes wait for each other on every provider.
    /// </summary>
    public Task<bool> AnotherAdminRemainsAsync(AuditedChange change, string? leavingUserId, string? leavingDigest, CancellationToken cancellationToken) =>
        LastAdmin.AnotherRemainsAsync(change.Db, leavingUserId, leavingDigest, cancellationToken);

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
    /// <summary>The start of the stored digest a public id (<see cref="PersonalTokenId"/>) names; null when it is not one.</summary>
    private static string? DigestPrefix(string id) =>
        id.StartsWith(PersonalTokenIdPrefix, StringComparison.Ordinal) && id.Length == PersonalTokenIdPrefix.Length + PersonalTokenIdDigits &&
        id[PersonalTokenIdPrefix.Length..].All(char.IsAsciiHexDigit)
            ? id[PersonalTokenIdPrefix.Length..].ToUpperInvariant()
            : null;

    public static string PersonalTokenId(string digest) => PersonalTokenIdPrefix + digest[..PersonalTokenIdDigits].ToLowerInvariant();

    private const string PersonalTokenIdPrefix = "pat_";
    private const int PersonalTokenIdDigits = 16;

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
}
