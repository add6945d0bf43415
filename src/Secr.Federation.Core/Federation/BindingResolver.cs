using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Federation;

/// <summary>
/// Admission stage 2 for workload JWTs: exactly one binding of the token's issuer must accept it. When several do,
/// the caller picks one; grants are never merged.
/// </summary>
public sealed class BindingResolver : IIdentityResolver<WorkloadContext>
{
    private const int MaxReasonsInDetail = 10;

    public ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential<WorkloadContext> credential, AdmissionRequest request, CancellationToken cancellationToken)
    {
        var context = credential.Context;
        var issuer = context.Token.Issuer;
        var evaluations = Evaluate(context.Trust, issuer, context.Token.Claims);
        return ValueTask.FromResult(Select(evaluations, issuer, request.RequestedIdentity));
    }

    public static IReadOnlyList<BindingEvaluation> Evaluate(TrustSnapshot trust, TrustedIssuer issuer, System.Text.Json.JsonElement claims)
    {
        var preset = IssuerPreset.For(issuer.Kind);
        return trust.BindingsOf(issuer.Id).Select(binding => BindingMatcher.Evaluate(binding, preset, claims)).ToList();
    }

    public static StageResult<ResolvedIdentity> Select(IReadOnlyList<BindingEvaluation> evaluations, TrustedIssuer issuer, string? requested)
    {
        if (requested is not null)
        {
            var chosen = evaluations.FirstOrDefault(e => string.Equals(e.Binding.Name, requested, StringComparison.Ordinal));
            return chosen switch
            {
                null => Refusals.Create(RefusalCode.BindingNotSelected, $"issuer '{issuer.Name}' has no binding named '{requested}'"),
                { Matched: false } => Refusals.Create(RefusalCode.BindingNotSelected, chosen.FirstFailure!),
                _ => ToIdentity(chosen.Binding),
            };
        }

        var matched = evaluations.Where(e => e.Matched).ToList();
        var enabled = matched.Where(e => e.Binding.Enabled).ToList();
        if (enabled.Count == 1)
        {
            return ToIdentity(enabled[0].Binding);
        }

        if (enabled.Count > 1)
        {
            var names = string.Join(", ", enabled.Select(e => e.Binding.Name));
            return Refusals.Create(RefusalCode.BindingAmbiguous, $"bindings {names} all accept the token", $"Several trust bindings accept this token ({names}); choose one with scope=binding:<name>.");
        }

        if (matched.Count > 0)
        {
            // Only disabled bindings accept the token: resolve to one so the policy refuses it as disabled, and says so.
            return ToIdentity(matched[0].Binding);
        }

        var reasons = evaluations.Count == 0
            ? $"issuer '{issuer.Name}' has no bindings"
            : string.Join("; ", evaluations.Take(MaxReasonsInDetail).Select(e => e.FirstFailure));
        return Refusals.Create(RefusalCode.BindingNoneMatched, reasons);
    }

    public static ResolvedIdentity ToIdentity(TrustBinding binding) => new()
    {
        Id = binding.Id,
        Type = IdentityType.OidcBinding,
        Lifecycle = OidcBindingKind.LifecycleRules,
        Name = binding.Name,
        Binding = binding.Name,
        Project = binding.Project,
        Environment = binding.Environment,
        Permission = binding.Permission,
        MaxLifetime = binding.AccessTokenTtl,
        Status = binding.Enabled ? IdentityStatus.Active : IdentityStatus.Disabled,
        Access = binding.ClientIpAllowlist.Count == 0 ? ConditionalAccess.None : new ConditionalAccess { AllowedNetworks = binding.ClientIpAllowlist },
        SecretAllowlist = binding.SecretAllowlist,
    };
}
