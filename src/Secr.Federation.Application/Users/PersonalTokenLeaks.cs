using Secr.Federation.Application.Leaks;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Application.Users;

/// <summary>
/// Leak containment for personal admin tokens: they have no disabled state, so a leaked one is revoked whatever the
/// policy says. That holds for the last admin's last token too: a leaked admin credential is worse than a lockout,
/// which <c>recover-admin</c> on the server host undoes.
/// </summary>
public sealed class PersonalTokenLeaks(UserStore users) : ILeakableCredentials
{
    public const string Type = "personal_token";

    public string Prefix => CredentialFormat.PersonalPrefix;

    public async Task<LeakedCredential?> FindAsync(string digest, CancellationToken cancellationToken) =>
        await users.AuthenticateDigestAsync(digest, cancellationToken) is { } user
            ? new LeakedCredential(Type, UserStore.PersonalTokenId(digest), $"personal token of {user.Email}")
            : null;

    public async Task<Containment?> ContainAsync(AuditedChange change, LeakedCredential credential, bool retire, AdminActor actor, string report, CancellationToken cancellationToken)
    {
        if (await users.RemovePersonalTokenByIdAsync(change, credential.Id, cancellationToken) == 0)
        {
            return null;
        }

        change.Record(actor, LeakContainment.ContainedCode, $"{credential.Name} ({credential.Id}) {report}; revoked (a personal token cannot be disabled)", null);
        return new Containment("revoked", true);
    }
}
