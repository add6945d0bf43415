using Secr.Federation.Core.Governance.Reporting;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.Governance.Report;

/// <summary>The report's formats (<c>?format=html|json|csv</c>, HTML when none is asked for), shared by the admin API and the console.</summary>
public static class ReportFormats
{
    public const string Html = "html", Json = "json", Csv = "csv";

    private static readonly string[] All = [Html, Json, Csv];

    /// <summary>The format asked for, HTML when none was; null for one the report does not come in.</summary>
    public static string? Parse(string? format) => format is null ? Html : All.FirstOrDefault(f => f.Equals(format, StringComparison.OrdinalIgnoreCase));

    public static IResult Invalid(string format) => ProblemResults.Invalid("format", $"'{format}' is not a report format; use html, json or csv");

    public static IResult Serve(string format, NhiReport report, HttpContext http)
    {
        var name = $"nhi-report-{PostureSnapshot.DayOf(report.GeneratedAt):yyyy-MM-dd}";
        switch (format)
        {
            case Json:
                return TypedResults.Ok(report);
            case Csv:
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
                return TypedResults.Text(ReportCsv.Render(report), "text/csv; charset=utf-8; header=present");
            default:
                // Opened in the browser: it may show its own inline styles and nothing else, whichever page links to it.
                http.Response.Headers.ContentSecurityPolicy = ReportHtml.ContentSecurityPolicy;
                http.Response.Headers.ContentDisposition = $"inline; filename=\"{name}.html\"";
                return TypedResults.Text(ReportHtml.Render(report), "text/html; charset=utf-8");
        }
    }
}
