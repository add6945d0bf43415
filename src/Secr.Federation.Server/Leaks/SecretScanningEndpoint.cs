using Secr.Federation.Application.Leaks;
using Secr.Federation.Core.Leaks;
using Secr.Federation.Data.Audit;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Leaks;

/// <summary>
/// GitHub's secret-scanning partner endpoint. GitHub POSTs the tokens it found that match secr's patterns, signed with
/// a key it publishes (<see cref="ReportSignature"/>); nothing else authenticates the request, so nothing is done
/// before the signature over the raw body holds. A verified report is contained (<see cref="LeakContainment"/>) and
/// answered with one label per token, named by its hash: the reporter learns nothing else. An unsigned, forged or
/// unreadable report is refused and audited.
/// </summary>
public static class SecretScanningEndpoint
{
    public const string Path = "/secret-scanning/github";

    /// <summary>The reporter as the audit, the leak record and a disablement name it.</summary>
    public const string Reporter = "github-secret-scanning";

    public static IEndpointRouteBuilder MapSecretScanning(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).HasRoles(EndpointRoles.Workload | EndpointRoles.Api).WithTags("Leaks")
            .Produces<IReadOnlyList<LeakFeedback>>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, ReportSignature signature, LeakContainment containment)
    {
        var cancellationToken = http.RequestAborted;
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        var reporter = new AdminActor(Reporter, http.TraceIdentifier, http.Connection.RemoteIpAddress?.ToString());

        var verdict = await signature.VerifyAsync(
            http.Request.Headers[ReportSignature.KeyIdentifierHeader], http.Request.Headers[ReportSignature.SignatureHeader], body, cancellationToken);
        if (!verdict.Valid)
        {
            await containment.RefuseAsync(reporter, verdict.Detail, cancellationToken);
            if (verdict.KeysUnavailable)
            {
                // Not the sender's fault, and it retries: say when.
                http.Response.Headers.RetryAfter = "60";
                return Problem(StatusCodes.Status503ServiceUnavailable, "leak.keys_unavailable", "The keys that sign secret-scanning reports cannot be fetched now; retry later.");
            }

            return Problem(StatusCodes.Status401Unauthorized, "leak.signature_invalid",
                $"The report must be signed: {ReportSignature.SignatureHeader} over the raw body, by the key {ReportSignature.KeyIdentifierHeader} names among the published keys.");
        }

        var (tokens, error) = SecretScanningReport.Parse(body);
        if (tokens is null)
        {
            await containment.RefuseAsync(reporter, error!, cancellationToken);
            return Problem(StatusCodes.Status400BadRequest, "leak.report_invalid", error!);
        }

        var outcomes = await containment.ContainAsync(tokens, reporter, cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(outcomes.Select(o => new LeakFeedback(o.Token.Hash, o.Token.Type, o.Label)).ToList());
    }

    private static IResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
