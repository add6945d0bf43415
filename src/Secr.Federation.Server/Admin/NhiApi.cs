using Secr.Federation.Application.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Governance;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Governance.Frameworks;
using Secr.Federation.Core.Governance.Reporting;
using Secr.Federation.Data.Governance;
using Secr.Federation.Server.Governance.Report;

namespace Secr.Federation.Server.Admin;

/// <summary>Discovery and posture: every non-human identity of every registered kind, graded, filterable, summarised.</summary>
public static class NhiApi
{
    /// <summary>One identity's posture in detail: its row, each dimension graded, its owner's state, and whether a scanner reported it leaked.</summary>
    public sealed record IdentityPosture(NhiItem Identity, IReadOnlyList<DimensionResult> Dimensions, Finding? Ownership, Finding? Leak);

    /// <param name="Label">The display name, or the name when there is none: what people are shown.</param>
    /// <param name="Summary">The findings as one sentence ("No expiry, no IP restriction"); empty when there are none.</param>
    /// <param name="CredentialPrefix">How its credential starts (<c>secr_mt_ci_</c>), for people to recognise it; null for a binding.</param>
    /// <param name="References">Each finding's place in the frameworks (<see cref="FrameworkMap"/>), in the order of <paramref name="Findings"/>.</param>
    public sealed record NhiItem(string Type, string Id, string Name, string? DisplayName, string Label, string? CredentialPrefix, string Status, string? Owner, string? Project, string? Environment,
        int AgeDays, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, string? Grade, IReadOnlyList<string> Findings, string Summary, IReadOnlyList<FindingReference> References);

    /// <summary>A finding (its words) with its OWASP NHI Top 10 risk, NIST CSF 2.0 subcategory and SP 800-207 tenet.</summary>
    public sealed record FindingReference(string Finding, string? OwaspNhi, string NistCsf, int ZeroTrustTenet)
    {
        public static FindingReference Of(Finding finding)
        {
            var reference = FrameworkMap.For(finding.Kind);
            return new(FindingText.Of(finding), reference.OwaspNhi, reference.NistCsf, reference.ZeroTrustTenet);
        }
    }

    public static RouteGroupBuilder MapNhi(this RouteGroupBuilder api)
    {
        var nhi = api.MapGroup("/nhi").WithTags("Governance");
        nhi.MapGet("/", async (string? type, string? status, string? environment, string? owner, string? grade, NhiInventory inventory, TimeProvider clock, CancellationToken ct) =>
        {
            var items = (await inventory.ListAsync(ct)).Where(new InventoryFilter(type, status, environment, owner, grade).Matches);
            return TypedResults.Ok(items.Select(i => ToItem(i, clock.GetUtcNow())));
        });
        nhi.MapGet("/summary", async (NhiInventory inventory, OrganisationName organisation, CancellationToken ct) =>
        {
            var summary = InventorySummary.Of(await inventory.ListAsync(ct));
            return TypedResults.Ok(new
            {
                organisation = (await organisation.GetAsync(ct)).Name, types = summary.Types, flagged = summary.Flagged, retired = summary.Retired, grade = summary.Grade?.ToString(),
            });
        });
        nhi.MapGet("/report", async (string? format, NhiReports reports, HttpContext http, CancellationToken ct) =>
            ReportFormats.Parse(format) is { } chosen ? ReportFormats.Serve(chosen, await reports.BuildAsync(ct), http) : ReportFormats.Invalid(format!))
            // One model in three formats: the JSON as typed, the HTML and CSV files rendered from it.
            .Produces<NhiReport>(StatusCodes.Status200OK, "application/json", "text/html", "text/csv")
            .ProducesValidationProblem();
        nhi.MapGet("/{type}/{id}", async Task<Results<Ok<IdentityPosture>, NotFoundProblem>> (string type, string id, NhiInventory inventory, TimeProvider clock, CancellationToken ct) =>
            await inventory.FindAsync(type, id, ct) is { } item
                ? TypedResults.Ok(new IdentityPosture(ToItem(item, clock.GetUtcNow()), item.Posture.Dimensions, item.Posture.OwnershipFlag, item.Posture.LeakFlag))
                : ProblemResults.NotFound($"{type} '{id}' does not exist"));
        nhi.MapGet("/{type}/{id}/fixes", async Task<Results<Ok<IReadOnlyList<FixOption>>, NotFoundProblem>> (string type, string id, Remediation remediation, CancellationToken ct) =>
            await remediation.OptionsAsync(type, id, ct) is { } options
                ? TypedResults.Ok(options)
                : ProblemResults.NotFound($"{type} '{id}' does not exist"));
        nhi.MapPost("/{type}/{id}/fixes/{fix}", async (string type, string id, string fix, FixParameters? parameters, Remediation remediation, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await remediation.ApplyAsync(type, id, fix, parameters ?? new FixParameters(null, null, null), http.Actor(), ct), result => TypedResults.Ok(result)));
        return api;
    }

    private static NhiItem ToItem(InventoryItem i, DateTimeOffset now) => new(
        i.Identity.Type, i.Identity.Id, i.Identity.Name, i.Identity.DisplayName, i.Identity.Label, i.Identity.CredentialPrefix, i.Identity.Status, i.OwnerEmail, i.Identity.Project, i.Identity.Environment,
        (int)(now - i.Identity.CreatedAt).TotalDays, i.Identity.CreatedAt, i.Identity.LastUsedAt, i.Posture.Grade?.ToString(), i.Posture.Findings.Select(FindingText.Of).ToList(),
        i.Posture.Summary, i.Posture.Findings.Select(FindingReference.Of).ToList());
}
