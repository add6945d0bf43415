using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Federation;

/// <summary>
/// OIDC bindings: tokenless identities. A workload presents its platform's JWT by RFC 8693 token exchange; the token
/// authenticates against a trusted issuer (<see cref="WorkloadTokenAuthenticator"/>) and exactly one binding must
/// accept it (<see cref="BindingResolver"/>). A binding can be disabled and enabled; it has no value to roll or revoke.
/// </summary>
public sealed class OidcBindingKind(WorkloadTokenAuthenticator authenticator, ITrustRegistry trust) : IIdentityKind
{
    /// <summary>RFC 8693 §2.1.</summary>
    public const string Grant = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>The <c>subject_token_type</c> values a workload's JWT may be sent as (RFC 8693 §3).</summary>
    public static readonly string[] SubjectTokenTypes =
    [
        "urn:ietf:params:oauth:token-type:jwt",
        "urn:ietf:params:oauth:token-type:id_token",
    ];

    public static readonly IdentityLifecycle LifecycleRules = new()
    {
        Transitions = [LifecycleTransition.Disable, LifecycleTransition.Enable],
        DisabledCode = RefusalCode.BindingDisabled,
        RetiredCode = RefusalCode.TokenRevoked,
    };

    public string Type => IdentityType.OidcBinding;

    public string GrantType => Grant;

    /// <summary>A platform JWT is only ever exchanged, never used directly at the secrets API.</summary>
    public string? CredentialPrefix => null;

    public IdentityLifecycle Lifecycle => LifecycleRules;

    public (string? Credential, AdmissionRefusal? Error) ReadCredential(Func<string, string?> parameter)
    {
        var type = parameter("subject_token_type");
        var error = SubjectTokenTypes.Contains(type, StringComparer.Ordinal)
            ? null
            : Refusals.Create(RefusalCode.SubjectTokenType, $"subject_token_type '{type}' is not supported");
        return (parameter("subject_token"), error);
    }

    public ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken) =>
        authenticator.AuthenticateAsync(request, cancellationToken);

    public async ValueTask<ResolvedIdentity?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await trust.GetSnapshotAsync(cancellationToken).ConfigureAwait(false)).FindBinding(id) is { } binding ? BindingResolver.ToIdentity(binding) : null;
}
