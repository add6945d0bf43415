using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Core.Federation.Explain;

namespace Secr.Federation.Server.Admin;

/// <summary>
/// Explain: post a subject token (or a claims set) and see, binding by binding and condition by condition, why it
/// would or would not be accepted. Nothing is consumed or issued.
/// </summary>
public static class ExplainApi
{
    public sealed record ExplainRequest(string? Token, JsonElement? Claims, string? Issuer, string? Binding);

    public static RouteGroupBuilder MapExplain(this RouteGroupBuilder api)
    {
        api.MapPost("/explain", async Task<Results<Ok<ExplainReport>, ValidationProblem>> (ExplainRequest request, BindingExplainer explainer, CancellationToken ct) =>
        {
            if ((request.Token is null) == (request.Claims is null))
            {
                return ProblemResults.Invalid("token", "send exactly one of token or claims");
            }

            if (request.Claims is { ValueKind: not JsonValueKind.Object })
            {
                return ProblemResults.Invalid("claims", "must be a JSON object");
            }

            var report = request.Token is { } token
                ? await explainer.ExplainTokenAsync(token, request.Binding, ct)
                : await explainer.ExplainClaimsAsync(request.Claims!.Value, request.Issuer, request.Binding, ct);
            return TypedResults.Ok(report);
        }).WithTags("Explain");
        return api;
    }
}
