using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Identities.Credentials;

/// <summary>
/// A kind whose credential is one of secr's own long-lived values (<see cref="CredentialFormat"/>), stored as a digest
/// and presented in the <c>token</c> parameter of its own grant. Stage 1: the value must be well-formed (prefix and
/// checksum, so a typo or a foreign string is refused without a database lookup) and its digest known. Stage 2: the
/// stored record is its own identity.
/// </summary>
/// <typeparam name="TRecord">The stored record, which the authenticator hands to the resolver as it found it.</typeparam>
/// <param name="source">What the audit records as the credential's source issuer (<c>secr:machine_token</c>).</param>
public abstract class StoredCredentialKind<TRecord>(string type, string grantType, string prefix, string source, IdentityLifecycle lifecycle)
    : IIdentityKind, IIdentityResolver<TRecord>
    where TRecord : class
{
    /// <summary>The token request parameter carrying the credential.</summary>
    public const string TokenParameter = "token";

    public string Type => type;

    public string GrantType => grantType;

    public string? CredentialPrefix => prefix;

    public IdentityLifecycle Lifecycle => lifecycle;

    public (string? Credential, AdmissionRefusal? Error) ReadCredential(Func<string, string?> parameter) => (parameter(TokenParameter), null);

    public async ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (!CredentialFormat.IsWellFormed(request.Credential, prefix))
        {
            return Refusals.Create(RefusalCode.CredentialMalformed, $"not a well-formed {prefix} token (prefix, length or checksum)");
        }

        var record = await FindByDigestAsync(CredentialFormat.Digest(request.Credential!), cancellationToken).ConfigureAwait(false);
        return record is null
            ? Refusals.Create(RefusalCode.CredentialUnknown, $"a well-formed {prefix} token that this server never issued, or whose record was deleted")
            : new AuthenticatedCredential<TRecord>(source, IdOf(record), null, record, this);
    }

    public ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential<TRecord> credential, AdmissionRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<StageResult<ResolvedIdentity>>(ToIdentity(credential.Context));

    public async ValueTask<ResolvedIdentity?> FindAsync(string id, CancellationToken cancellationToken) =>
        await FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is { } record ? ToIdentity(record) : null;

    public abstract ResolvedIdentity ToIdentity(TRecord record);

    /// <summary>The record's id, the credential's subject in the audit.</summary>
    protected abstract string IdOf(TRecord record);

    protected abstract Task<TRecord?> FindByDigestAsync(string digest, CancellationToken cancellationToken);

    protected abstract Task<TRecord?> FindByIdAsync(string id, CancellationToken cancellationToken);
}
