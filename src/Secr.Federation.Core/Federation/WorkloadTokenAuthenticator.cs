using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.SubjectTokens;

namespace Secr.Federation.Core.Federation;

/// <summary>Admission stage 1 for workload JWTs: the subject token must validate against a registered issuer. Stage 2 is <see cref="BindingResolver"/>.</summary>
public sealed class WorkloadTokenAuthenticator(ITrustRegistry registry, SubjectTokenValidator validator, FederationOptions options, BindingResolver resolver)
{
    public async ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var trust = await registry.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var validation = await validator.ValidateAsync(request.Credential, trust, options.DefaultAudience, cancellationToken).ConfigureAwait(false);
        if (validation.Token is not { } token)
        {
            var refusal = validation.Refusal!;
            return Refusals.Create(refusal.Code, validation.Issuer is null ? refusal.Detail : $"issuer '{validation.Issuer.Name}': {refusal.Detail}");
        }

        var replay = token.ReplayKey is null ? null : ReplayClaim.ForToken(token.ReplayKey, token.ExpiresAt, token.ExpiresAt + token.Issuer.ClockSkew);
        return new AuthenticatedCredential<WorkloadContext>(token.Issuer.IssuerUrl, token.Subject, replay, new WorkloadContext(token, trust), resolver)
        {
            Lineage = IssuerPreset.For(token.Issuer.Kind).Lineage?.Read(token.Claims),
        };
    }
}

/// <summary>What the workload resolver needs from authentication: the validated token and the snapshot it was checked against.</summary>
public sealed record WorkloadContext(ValidatedSubjectToken Token, TrustSnapshot Trust);
