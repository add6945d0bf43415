using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Leaks;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Leaks;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.Leaks;

/// <summary>
/// An admin's leak report (<c>secr token report-leak</c>): tokens found by any scanner, contained exactly as GitHub's
/// signed reports are. The admin is told whose each was and what was done; the values are named by hash, never echoed.
/// </summary>
public static class LeaksApi
{
    /// <param name="Source">Where the tokens were found, or by what (free text: "gitleaks on repo payments").</param>
    public sealed record LeakReportRequest(IReadOnlyList<string>? Tokens, string? Source, string? Url);

    public sealed record ReportedIdentity(string Type, string Id, string Name);

    public sealed record LeakResult(string TokenHash, string Label, ReportedIdentity? Identity, string? Done);

    public sealed record LeakReportResult(int Reported, IReadOnlyList<LeakResult> Results);

    /// <summary>The source a report names when it names none.</summary>
    public const string DefaultSource = "secr token report-leak";

    public static RouteGroupBuilder MapLeaks(this RouteGroupBuilder api)
    {
        api.MapPost("/leaks", async Task<Results<Ok<LeakReportResult>, ValidationProblem>> (LeakReportRequest request, LeakContainment containment, HttpContext http, CancellationToken ct) =>
        {
            if (Validate(request) is { Count: > 0 } errors)
            {
                return ProblemResults.Invalid(errors);
            }

            var source = SecretScanningReport.Kept(request.Source) ?? DefaultSource;
            var tokens = request.Tokens!.Distinct(StringComparer.Ordinal).Select(t => new ReportedToken(t, null, SecretScanningReport.Kept(request.Url), source)).ToList();
            var outcomes = await containment.ContainAsync(tokens, http.Actor(), ct);
            return TypedResults.Ok(new LeakReportResult(outcomes.Count, outcomes.Select(o => new LeakResult(o.Token.Hash, o.Label,
                o.Credential is { } c ? new ReportedIdentity(c.Type, c.Id, c.Name) : null, o.Done)).ToList()));
        }).WithTags("Leaks");
        return api;
    }

    private static List<ValidationError> Validate(LeakReportRequest request)
    {
        var error = request.Tokens is not { Count: > 0 } tokens ? "must list at least one candidate token"
            : SecretScanningReport.CountError(tokens.Count) ?? tokens.Select(SecretScanningReport.TokenError).FirstOrDefault(e => e is not null);
        return error is null ? [] : [new("tokens", error)];
    }
}
