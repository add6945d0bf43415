using System.Text.Json;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.SubjectTokens;

namespace Secr.Federation.Core.Federation.Explain;

/// <summary>
/// The explain endpoint's logic: the same validator and the same matcher as the token endpoint, without consuming
/// a replay key or issuing anything, so what it says is what the exchange would do.
/// </summary>
public sealed class BindingExplainer(ITrustRegistry registry, SubjectTokenValidator validator, FederationOptions options)
{
    public async Task<ExplainReport> ExplainTokenAsync(string token, string? requestedBinding, CancellationToken cancellationToken)
    {
        var trust = await registry.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var validation = await validator.ValidateAsync(token, trust, options.DefaultAudience, cancellationToken).ConfigureAwait(false);
        var authentication = new ExplainAuthentication(true, validation.Token is not null, validation.Refusal?.Code.Value, validation.Refusal?.Detail);
        if (validation.Issuer is null || validation.Jwt is null)
        {
            return new ExplainReport(false, null, authentication, [], null, validation.Refusal?.Code.Value, validation.Refusal?.Detail ?? "the token could not be read");
        }

        return Report(trust, validation.Issuer, validation.Jwt.Payload, authentication, requestedBinding);
    }

    public async Task<ExplainReport> ExplainClaimsAsync(JsonElement claims, string? issuerUrl, string? requestedBinding, CancellationToken cancellationToken)
    {
        var trust = await registry.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var iss = issuerUrl ?? (claims.ValueKind == JsonValueKind.Object && claims.TryGetProperty("iss", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null);
        var authentication = new ExplainAuthentication(false, false, null, "claims only: signature, audience and times were not checked");
        var issuer = iss is null ? null : trust.FindIssuer(iss);
        if (issuer is null)
        {
            return new ExplainReport(false, null, authentication, [], null, RefusalCode.SubjectTokenUntrustedIssuer.Value, $"'{iss ?? "(no iss)"}' is not a registered issuer");
        }

        return Report(trust, issuer, claims, authentication, requestedBinding);
    }

    private static ExplainReport Report(TrustSnapshot trust, Issuers.TrustedIssuer issuer, JsonElement claims, ExplainAuthentication authentication, string? requestedBinding)
    {
        var evaluations = BindingResolver.Evaluate(trust, issuer, claims);
        var bindings = evaluations.Select(e => new ExplainBinding(e.Binding.Name, e.Binding.Enabled, e.Matched, e.Conditions)).ToList();
        var selection = BindingResolver.Select(evaluations, issuer, requestedBinding);
        var accepted = authentication.Passed && selection.Value is { Status: Identities.IdentityStatus.Active };
        var summary = selection.Value is { Status: not Identities.IdentityStatus.Active } disabled
            ? $"binding '{disabled.Name}' matches, but it is disabled"
            : selection.Value is { } identity
            ? authentication.Passed
                ? $"accepted by binding '{identity.Name}': {identity.Permission.ToString().ToLowerInvariant()} on {identity.Project}/{identity.Environment}"
                : $"binding '{identity.Name}' matches the claims, but {(authentication.Checked ? $"the token fails authentication: {authentication.Detail}" : "the signature and times were not checked")}"
            : selection.Refusal!.Detail;
        var refusal = !authentication.Passed && authentication.Checked ? authentication.Code
            : selection.Value is { Status: not Identities.IdentityStatus.Active } ? RefusalCode.BindingDisabled.Value
            : selection.Refusal?.Code;
        return new ExplainReport(accepted, issuer.Name, authentication, bindings, selection.Value?.Name, refusal, summary);
    }
}
