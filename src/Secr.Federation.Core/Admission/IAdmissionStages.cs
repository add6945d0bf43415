namespace Secr.Federation.Core.Admission;

/// <summary>A stage's outcome: a value, or a refusal that ends the admission.</summary>
public readonly record struct StageResult<T>(T? Value, AdmissionRefusal? Refusal)
    where T : class
{
    public static implicit operator StageResult<T>(T value) => new(value, null);

    public static implicit operator StageResult<T>(AdmissionRefusal refusal) => new(null, refusal);
}

/// <summary>Stage 1: prove the credential is genuine. One implementation per <see cref="CredentialKind"/>.</summary>
public interface ICredentialAuthenticator
{
    CredentialKind Kind { get; }

    ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken);
}

/// <summary>Stage 2: map the authenticated credential to exactly one identity. One implementation per <see cref="CredentialKind"/>.</summary>
public interface IIdentityResolver
{
    CredentialKind Kind { get; }

    ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential credential, AdmissionRequest request, CancellationToken cancellationToken);
}
