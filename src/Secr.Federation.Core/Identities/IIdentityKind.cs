using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Identities;

/// <summary>
/// One kind of non-human identity, as admission sees it: the grant that presents its credential, the credential's
/// prefix, how it authenticates and resolves, how it is found again by id, and its lifecycle. Every kind registers in
/// one list (<see cref="IdentityKinds"/>); the pipeline, the token endpoint, the secrets API and the resource-side
/// lookup ask the kind, never which kind it is. Its storage half (liveness, inventory, fixes) is in the data layer.
/// </summary>
public interface IIdentityKind
{
    /// <summary>The wire name: <c>identity_type</c> in the audit, the API's paths and filters, the access token.</summary>
    string Type { get; }

    /// <summary>The token endpoint's grant type that presents this kind's credential.</summary>
    string GrantType { get; }

    /// <summary>The prefix of a credential that may also be presented directly at the secrets API; null when none may.</summary>
    string? CredentialPrefix { get; }

    IdentityLifecycle Lifecycle { get; }

    /// <summary>
    /// This kind's credential from a token request's parameters (<paramref name="parameter"/> reads one by name). A
    /// request the grant cannot take is an error, refused and audited like any other.
    /// </summary>
    (string? Credential, AdmissionRefusal? Error) ReadCredential(Func<string, string?> parameter);

    /// <summary>Admission stage 1: prove the credential genuine. Its result resolves itself (stage 2) with this kind's typed context.</summary>
    ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken);

    /// <summary>The identity as it stands now, by id, for the checks on every use of an access token; null when gone.</summary>
    ValueTask<ResolvedIdentity?> FindAsync(string id, CancellationToken cancellationToken);
}
