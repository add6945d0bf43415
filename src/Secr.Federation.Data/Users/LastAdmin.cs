using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Common;
using Secr.Federation.Data.Cluster;

namespace Secr.Federation.Data.Users;

/// <summary>
/// The rule that keeps the server administrable: some active admin must still hold a personal token after any
/// offboarding, demotion or token revocation, because only an admin can issue another admin a token. Checked inside the
/// change's transaction after a write to the <see cref="ChangeCounterEntity.Admins"/> row, which makes such changes
/// wait for each other on every provider: two admins demoting each other at once cannot both succeed.
/// </summary>
public static class LastAdmin
{
    public const string Code = "user.last_admin";

    /// <summary>Whether an active admin keeps a token once the user <paramref name="leavingUserId"/>, or the token <paramref name="leavingDigest"/>, is gone.</summary>
    internal static async Task<bool> AnotherRemainsAsync(SecrDbContext db, string? leavingUserId, string? leavingDigest, CancellationToken cancellationToken)
    {
        await ChangeCounters.BumpAsync(db, ChangeCounterEntity.Admins, cancellationToken);
        return await TokensOfActiveAdmins(db).AnyAsync(t => t.UserId != leavingUserId && t.Digest != leavingDigest, cancellationToken);
    }

    /// <summary>The personal tokens that can administer the server right now.</summary>
    internal static IQueryable<PersonalTokenEntity> TokensOfActiveAdmins(SecrDbContext db)
    {
        var admin = UserStore.RoleText(Core.Identities.Users.UserRole.Admin);
        return db.PersonalTokens.Join(db.Users.Where(u => u.Role == admin && !u.Offboarded), t => t.UserId, u => u.Id, (t, _) => t);
    }

    public static ChangeResult<T> Refusal<T>(string email, string change) => ChangeResult<T>.Conflict(
        $"{email} is the last active admin with a personal token: {change} would leave no one able to administer the server. " +
        "Add another admin and give them a token first (secr user add EMAIL --role admin; secr user token create EMAIL); " +
        "if you are locked out already, run 'Secr.Federation.Server recover-admin --email EMAIL' on the server host", Code);
}
