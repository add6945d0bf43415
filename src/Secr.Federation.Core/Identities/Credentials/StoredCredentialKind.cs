using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Identities.Credentials;

/// <summary>
/// A kind whose credential is one of secr's own long-lived values (<see cref="CredentialFormat"/>), stored as a digest
/// and presented in the <c>token</c> parameter of its own grant. Stage 1: the value must be well-formed (prefix and
/// checksum, so a typo or a foreign string is refused without a database lookup) and its digest known. Stage 2: the
/// stored record is its own identity.
/// </summary>
/// <typeparam name="TRecord">The stored record, which the authenticator hands to the resolver as it found it.</typeparam>
public abstract class StoredCredentialKind<TRecord>(string prefix) : IIdentityKind, IIdentityResolver<TRecord>
    where TRecord : class
{
    /// <summary>The token request parameter carrying the credential.</summary>
    public const string TokenParameter = "token";

    public abstract string Type { get; }

    public abstract string GrantType { get; }

    public string? CredentialPrefix => prefix;

    public abstract IdentityLifecycle Lifecycle { get; }

    /// <summary>What the audit records as the credential's source issuer (<c>secr:machine_token</c>).</summary>
    protected abstract string Source { get; }

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
            : new AuthenticatedCredential<TRecord>(Source, IdOf(record), null, record, this);
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
