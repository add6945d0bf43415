using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Admission;

/// <summary>A stage's outcome: a value, or a refusal that ends the admission.</summary>
public readonly record struct StageResult<T>(T? Value, AdmissionRefusal? Refusal)
    where T : class
{
    public static implicit operator StageResult<T>(T value) => new(value, null);

    public static implicit operator StageResult<T>(AdmissionRefusal refusal) => new(null, refusal);
}

/// <summary>
/// Stage 1's result (<see cref="IIdentityKind.AuthenticateAsync"/>): a credential that authenticated, with the facts the
/// audit keeps even if a later stage refuses it. It resolves itself (stage 2) by its kind's resolver, which receives
/// the authenticator's own result typed (<see cref="AuthenticatedCredential{TContext}"/>), so nothing is cast.
/// </summary>
public abstract record AuthenticatedCredential(string SourceIssuer, string SourceSubject, ReplayClaim? Replay)
{
    /// <summary>The CI job or pod the credential came from, when its platform names one (a workload token); its grant and every audit record carry it.</summary>
    public JobLineage? Lineage { get; init; }

    /// <summary>Admission stage 2: map the credential to exactly one identity.</summary>
    public abstract ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AdmissionRequest request, CancellationToken cancellationToken);
}

/// <summary>An authenticated credential carrying what its authenticator found (<paramref name="Context"/>) to its kind's resolver.</summary>
public sealed record AuthenticatedCredential<TContext>(string SourceIssuer, string SourceSubject, ReplayClaim? Replay, TContext Context, IIdentityResolver<TContext> Resolver)
    : AuthenticatedCredential(SourceIssuer, SourceSubject, Replay)
{
    public override ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AdmissionRequest request, CancellationToken cancellationToken) =>
        Resolver.ResolveAsync(this, request, cancellationToken);
}

/// <summary>Stage 2 of one kind: map what its authenticator found to exactly one identity.</summary>
public interface IIdentityResolver<TContext>
{
    ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential<TContext> credential, AdmissionRequest request, CancellationToken cancellationToken);
}
