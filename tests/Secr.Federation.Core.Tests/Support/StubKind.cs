using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.MachineTokens;

namespace Secr.Federation.Core.Tests.Support;

/// <summary>A kind of identity whose credential always authenticates (or throws) and resolves to one fixed identity.</summary>
internal sealed class StubKind(ResolvedIdentity? identity = null, bool authenticatorThrows = false, ReplayClaim? replay = null) : IIdentityKind, IIdentityResolver<object>
{
    public string Type => identity?.Type ?? "stub";

    public string GrantType => "urn:test:grant-type:stub";

    public string? CredentialPrefix => null;

    public IdentityLifecycle Lifecycle => identity?.Lifecycle ?? MachineTokenKind.LifecycleRules;

    public (string? Credential, AdmissionRefusal? Error) ReadCredential(Func<string, string?> parameter) => (parameter("token"), null);

    public ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken) =>
        authenticatorThrows ? throw new InvalidOperationException("boom") : ValueTask.FromResult<StageResult<AuthenticatedCredential>>(Credential("https://issuer", "repo:octo-org/octo-repo", replay));

    public ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential<object> credential, AdmissionRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<StageResult<ResolvedIdentity>>(identity!);

    public ValueTask<ResolvedIdentity?> FindAsync(string id, CancellationToken cancellationToken) => ValueTask.FromResult(identity?.Id == id ? identity : null);

    /// <summary>An authenticated credential with the given facts, for stages after the first.</summary>
    public AuthenticatedCredential Credential(string sourceIssuer, string sourceSubject, ReplayClaim? replayClaim = null) =>
        new AuthenticatedCredential<object>(sourceIssuer, sourceSubject, replayClaim, new object(), this);
}
