using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Secr.Federation.Core.Governance.Frameworks;
using Secr.Federation.Core.Governance.Reporting;
using Secr.Federation.Server.WebConsole;

namespace Secr.Federation.Server.Governance.Report;

/// <summary>
/// The report as one self-contained HTML file for an auditor: charts drawn as inline SVG, styles in the file, no
/// script and nothing fetched, so it opens offline and archives as it is; black on white, and it prints (each section
/// kept whole where it fits, tables' headers repeated). Every piece of text is HTML-encoded.
/// </summary>
public static class ReportHtml
{
    /// <summary>What a browser may do with the file when the server serves it: show its own styles, nothing else.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; color: #111; background: #fff; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
        h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #999; margin-top: 2rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0; } th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        th { background: #eee; } td.num { text-align: right; } .muted { color: #555; } .grade { font-size: 3rem; font-weight: bold; margin: .25rem 0; }
        .ok { color: #064; } .broken { color: #a00; font-weight: bold; } code { font-size: .85rem; word-break: break-all; }
        svg { display: block; max-width: 100%; height: auto; } .bar { fill: #3465a4; } .line { fill: none; stroke: #3465a4; stroke-width: 2; }
        .dot { fill: #3465a4; } .axis { stroke: #777; stroke-width: 1; } svg text { font-size: 12px; fill: #111; }
        @media print { body { margin: 0; max-width: none; font-size: 11pt; } section { break-inside: avoid; page-break-inside: avoid; }
          h2 { break-after: avoid; page-break-after: avoid; } thead { display: table-header-group; } tr { break-inside: avoid; page-break-inside: avoid; } }
        """;

    public static string Render(NhiReport report)
    {
        var html = new Html();
        var title = report.Organisation is { } organisation ? $"Non-human identity report — {organisation}" : "Non-human identity report";
        html.Raw($"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{html.Encode(title)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n");
        html.Element("h1", title);
        html.Element("p", $"Period {Date(report.From)} to {Date(report.Until)} (UTC) · generated {report.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC", "muted");

        html.Section("summary", "Organisation grade");
        html.Element("p", report.Grade ?? "–", "grade");
        html.Element("p", $"{report.Identities} identities: {report.Identities - report.Ungraded} graded, {report.Flagged} flagged, {report.Ungraded} revoked or killed (not graded). The grade is the median of the graded identities.");
        html.EndSection();

        html.Section("trend", $"Grade trend, last {PostureTrend.DefaultDays} days");
        html.Raw(TrendChart(report));
        html.Element("p", report.Trend.Count == 0 ? "No daily snapshot was taken in the period yet." : $"{report.Trend.Count} daily snapshots; days without one (the server was down) are gaps.", "muted");
        html.Table(["Day", "Grade", "Graded", "Flagged"], report.Trend.Select(p => new[] { p.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.Grade ?? "–", Number(p.Graded), Number(p.Flagged) }), numeric: [2, 3]);
        html.EndSection();

        html.Section("grades", "Identities by grade");
        var grades = report.Grades.Select(g => (g.Grade, g.Count)).Append(("ungraded", report.Ungraded)).ToList();
        html.Raw(Bars("Identities by grade", grades));
        html.Table(["Grade", "Identities"], grades.Select(g => new[] { g.Item1, Number(g.Item2) }), numeric: [1]);
        html.EndSection();

        html.Section("risks", "Flagged identities by OWASP NHI Top 10 risk");
        html.Raw(Bars("Flagged identities by OWASP NHI risk", report.ByRisk.Select(r => (r.Risk, r.Count)).ToList()));
        html.Table(["Risk", "Title", "Flagged identities", "Note"], report.ByRisk.Select(r => new[]
            { r.Risk, r.Title, Number(r.Count), OwaspNhiTop10.NotAddressed.TryGetValue(r.Risk, out var why) ? "Not addressed by this server: " + why : "" }), numeric: [2]);
        html.EndSection();

        html.Section("policies", "Policies in force");
        html.Table(["Policy", "Setting", "In force", "OWASP NHI"], report.Policies.Select(p => new[] { p.Policy, p.Setting, p.InForce ? "yes" : "no", p.OwaspNhi ?? "–" }));
        html.Element("h3", "Enforced in the period");
        html.Table(["What", "Count"], report.Enforcement.Refusals.Select(r => new[] { $"refused: {r.Code}", Number(r.Count) })
            .Append(["identities auto-disabled", Number(report.Enforcement.AutoDisabled)]), numeric: [1]);
        html.EndSection();

        Events(html, "offboarding", "Offboarding and transfers", report.Offboarding, "No offboarding or transfer in the period.");
        Events(html, "incidents", "Canary trips and leak reports", report.Incidents, "No canary trip or leak report in the period.");

        html.Section("audit-chain", "Audit chain");
        var chain = report.AuditChain;
        html.Element("p", chain.Verified ? "Verified: every record links to the one before it, up to the chain head." : $"Broken at record {chain.BrokenAt}: {chain.Problem}", chain.Verified ? "ok" : "broken");
        html.Table(["Check", "Value"], new[]
        {
            new[] { "Records checked", Number(chain.Records) },
            ["Sequence", chain.FirstSequence is null ? "–" : $"{chain.FirstSequence} to {chain.LastSequence}"],
            ["Last hash", chain.LastHash ?? "–"],
        });
        html.EndSection();
        html.Raw("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Events(Html html, string id, string heading, IReadOnlyList<ReportEvent> events, string none)
    {
        html.Section(id, heading);
        if (events.Count == 0)
        {
            html.Element("p", none);
        }
        else
        {
            html.Table(["When (UTC)", "Event", "By", "Identity", "Detail"], events.Select(e => new[]
                { e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), e.Code, e.Actor ?? "–", e.Identity ?? "–", e.Detail }));
        }

        html.EndSection();
    }

    /// <summary>The organisation's grade per day as a line over the period's days, A at the top; a day without a snapshot breaks the line.</summary>
    private static string TrendChart(NhiReport report)
    {
        const int width = BarChart.Width, height = 160, left = 30, top = 10;
        var lastDay = Core.Governance.Reporting.PostureSnapshot.DayOf(report.Until);
        var firstDay = lastDay.AddDays(1 - PostureTrend.DefaultDays);
        double X(DateOnly day) => left + (width - left - 10) * (day.DayNumber - firstDay.DayNumber) / (double)(PostureTrend.DefaultDays - 1);
        double Y(int score) => top + (height - 2 * top) * (5 - score) / 4.0;
        var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"Grade trend\" viewBox=\"0 0 {width} {height + 20}\" width=\"{width}\" height=\"{height + 20}\">");
        foreach (var (grade, score) in new[] { ("A", 5), ("B", 4), ("C", 3), ("D", 2), ("F", 1) })
        {
            svg.Append($"<text x=\"4\" y=\"{BarChart.Svg(Y(score) + 4)}\">{grade}</text><line class=\"axis\" x1=\"{left}\" x2=\"{width - 10}\" y1=\"{BarChart.Svg(Y(score))}\" y2=\"{BarChart.Svg(Y(score))}\" stroke-dasharray=\"2 4\"/>");
        }

        var runs = new List<List<(double X, double Y)>>();
        DateOnly? previous = null;
        foreach (var point in report.Trend)
        {
            if (PostureTrend.Score(point.Grade) is not { } score)
            {
                previous = null;
                continue;
            }

            if (previous is null || point.Day.DayNumber - previous.Value.DayNumber > 1)
            {
                runs.Add([]);
            }

            runs[^1].Add((X(point.Day), Y(score)));
            previous = point.Day;
        }

        foreach (var run in runs)
        {
            svg.Append($"<polyline class=\"line\" points=\"{string.Join(' ', run.Select(p => $"{BarChart.Svg(p.X)},{BarChart.Svg(p.Y)}"))}\"/>");
            svg.AppendJoin("", run.Select(p => $"<circle class=\"dot\" cx=\"{BarChart.Svg(p.X)}\" cy=\"{BarChart.Svg(p.Y)}\" r=\"3\"/>"));
        }

        svg.Append($"<text x=\"{left}\" y=\"{height + 15}\">{firstDay:yyyy-MM-dd}</text><text x=\"{width - 90}\" y=\"{height + 15}\">{lastDay:yyyy-MM-dd}</text></svg>");
        return svg.ToString();
    }

    /// <summary>A bar per label with its count above it, on the console's chart geometry (<see cref="BarChart"/>).</summary>
    private static string Bars(string title, IReadOnlyList<(string Label, int Count)> bars)
    {
        var chart = new BarChart(title, bars.Select(b => b.Label).ToList(), [new BarSeries(title, "bar", bars.Select(b => b.Count).ToList())]);
        const int top = 16;
        var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"{HtmlEncoder.Default.Encode(title)}\" viewBox=\"0 0 {BarChart.Width} {BarChart.Height + top + 20}\" width=\"{BarChart.Width}\" height=\"{BarChart.Height + top + 20}\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (x, w) = chart.Bar(i, 0);
            var h = chart.BarHeight(bars[i].Count);
            var middle = BarChart.Svg(x + w / 2);
            svg.Append($"<rect class=\"bar\" x=\"{BarChart.Svg(x)}\" y=\"{BarChart.Svg(top + BarChart.Height - h)}\" width=\"{BarChart.Svg(w)}\" height=\"{BarChart.Svg(h)}\"/>");
            svg.Append($"<text x=\"{middle}\" y=\"{BarChart.Svg(top + BarChart.Height - h - 3)}\" text-anchor=\"middle\">{bars[i].Count}</text>");
            svg.Append($"<text x=\"{middle}\" y=\"{top + BarChart.Height + 15}\" text-anchor=\"middle\">{HtmlEncoder.Default.Encode(bars[i].Label)}</text>");
        }

        svg.Append($"<line class=\"axis\" x1=\"0\" x2=\"{BarChart.Width}\" y1=\"{top + BarChart.Height}\" y2=\"{top + BarChart.Height}\"/></svg>");
        return svg.ToString();
    }

    private static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes elements whose text is always encoded; only this file's own markup goes in raw.</summary>
    private sealed class Html
    {
        private readonly StringBuilder _text = new();

        public string Encode(string text) => HtmlEncoder.Default.Encode(text);

        public void Raw(string markup) => _text.Append(markup);

        public void Element(string name, string text, string? cssClass = null) =>
            _text.Append($"<{name}{(cssClass is null ? "" : $" class=\"{cssClass}\"")}>{Encode(text)}</{name}>\n");

        public void Section(string id, string heading) => _text.Append($"<section id=\"{id}\">\n<h2>{Encode(heading)}</h2>\n");

        public void EndSection() => _text.Append("</section>\n");

        public void Table(IReadOnlyList<string> headings, IEnumerable<string[]> rows, IReadOnlyCollection<int>? numeric = null)
        {
            _text.Append("<table>\n<thead><tr>").AppendJoin("", headings.Select(h => $"<th scope=\"col\">{Encode(h)}</th>")).Append("</tr></thead>\n<tbody>\n");
            foreach (var row in rows)
            {
                _text.Append("<tr>").AppendJoin("", row.Select((cell, i) => numeric?.Contains(i) == true ? $"<td class=\"num\">{Encode(cell)}</td>" : $"<td>{Encode(cell)}</td>")).Append("</tr>\n");
            }

            _text.Append("</tbody>\n</table>\n");
        }

        public override string ToString() => _text.ToString();
    }
}
