using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Identities.Credentials;

/// <summary>
/// Admission stage 1 for secr's own long-lived credentials: the value must be well-formed (prefix and checksum, so
/// a typo or a foreign string is refused without a database lookup) and its digest must be known.
/// </summary>
public abstract class StoredCredentialAuthenticator<TIdentity>(string prefix, string source) : ICredentialAuthenticator
    where TIdentity : class
{
    public abstract CredentialKind Kind { get; }

    public async ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (!CredentialFormat.IsWellFormed(request.Credential, prefix))
        {
            return Refusals.Create(RefusalCode.CredentialMalformed, $"not a well-formed {prefix} token (prefix, length or checksum)");
        }

        var identity = await FindAsync(CredentialFormat.Digest(request.Credential!), cancellationToken).ConfigureAwait(false);
        return identity is null
            ? Refusals.Create(RefusalCode.CredentialUnknown, $"a well-formed {prefix} token that this server never issued, or whose record was deleted")
            : new AuthenticatedCredential(source, IdOf(identity), null, identity);
    }

    protected abstract Task<TIdentity?> FindAsync(string digest, CancellationToken cancellationToken);

    protected abstract string IdOf(TIdentity identity);
}
