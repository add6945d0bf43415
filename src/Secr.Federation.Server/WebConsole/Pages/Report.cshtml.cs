using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Application.Governance;
using Secr.Federation.Server.Governance.Report;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>
/// The audit-ready report for the signed-in admin, the same file <c>GET /api/v1/nhi/report</c> serves: the admin API
/// takes only a bearer token, so the console serves it under its own session.
/// </summary>
public sealed class ReportModel(NhiReports reports) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? format, CancellationToken cancellationToken)
    {
        var result = ReportFormats.Parse(format) is { } chosen ? ReportFormats.Serve(chosen, await reports.BuildAsync(cancellationToken), HttpContext) : ReportFormats.Invalid(format!);
        await result.ExecuteAsync(HttpContext);
        return new EmptyResult();
    }
}
