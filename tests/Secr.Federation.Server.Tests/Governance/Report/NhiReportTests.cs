using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Secr.Federation.Application.Governance;
using Secr.Federation.Core.Governance.Reporting;
using Secr.Federation.Data.Governance;
using Secr.Federation.Server.Governance.Report;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Governance.Report;

/// <summary>GET /api/v1/nhi/report in its three formats, from an organisation with three days of snapshots and history.</summary>
public sealed class NhiReportTests : IAsyncLifetime
{
    private ReportedOrganisation _organisation = null!;

    private SecrServer Server => _organisation.Server;

    public async Task InitializeAsync() => _organisation = await ReportedOrganisation.StartAsync();

    public async Task DisposeAsync() => await _organisation.DisposeAsync();

    [Fact]
    public async Task The_JSON_report_draws_the_trend_from_the_daily_snapshots_and_counts_what_happened_in_the_period()
    {
        var report = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/report?format=json")).Body!;
        var items = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi")).Body!.AsArray();
        var summary = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/summary")).Body!;

        var trend = report["trend"]!.AsArray().Select(p => (DateOnly.Parse((string)p!["day"]!), (string?)p["grade"], (int)p["graded"]!, (int)p["flagged"]!)).ToList();
        Assert.Equal(_organisation.Expected, trend);
        Assert.Equal(3, trend.Count);
        Assert.True(trend[1].Item4 > trend[0].Item4, "the leaked identity is flagged from the second day on");

        Assert.Equal(ReportedOrganisation.HostileName, (string?)report["organisation"]);
        Assert.Equal((string?)summary["grade"], (string?)report["grade"]);
        Assert.Equal(items.Count, (int)report["identities"]!);
        Assert.Equal((int)summary["flagged"]!, (int)report["flagged"]!);
        foreach (var grade in report["grades"]!.AsArray())
        {
            Assert.Equal(items.Count(i => (string?)i!["grade"] == (string?)grade!["grade"]), (int)grade!["count"]!);
        }

        var risks = report["by_risk"]!.AsArray().ToDictionary(r => (string)r!["risk"]!, r => (int)r!["count"]!);
        Assert.Equal(10, risks.Count);
        Assert.Equal(1, risks["NHI2"]);
        Assert.Equal(items.Count(i => i!["grade"] is not null && i["references"]!.AsArray().Any(r => (string?)r!["owasp_nhi"] == "NHI7")), risks["NHI7"]);

        var policies = report["policies"]!.AsArray().ToDictionary(p => (string)p!["policy"]!, p => ((string?)p!["setting"], (bool)p["in_force"]!));
        Assert.Equal(("on", true), policies["require-expiry"]);
        Assert.Equal(("100%", true), policies["brownout"]);
        var refusals = report["enforcement"]!["refusals"]!.AsArray().ToDictionary(r => (string)r!["code"]!, r => (int)r!["count"]!);
        Assert.Equal(1, refusals["policy.brownout"]);
        Assert.DoesNotContain("canary.tripped", refusals.Keys);
        Assert.Equal(0, (int)report["enforcement"]!["auto_disabled"]!);

        var offboarding = report["offboarding"]!.AsArray().Select(e => ((string)e!["code"]!, (string?)e["identity"])).ToList();
        Assert.Contains(("admin.user_offboarded", null), offboarding);
        Assert.Contains(("admin.offboarding_transferred", "orphan"), offboarding);
        var incidents = report["incidents"]!.AsArray().Select(e => ((string)e!["code"]!, (string?)e["identity"])).ToList();
        Assert.Contains(("canary.tripped", "curious"), incidents);
        Assert.Contains(("leak.contained", "leaky"), incidents);
        Assert.Contains(incidents, e => e.Item1 == "leak.report_received");
        Assert.DoesNotContain("canary-value-42", report.ToJsonString());

        var chain = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/audit/verify")).Body!;
        Assert.True((bool)report["audit_chain"]!["verified"]!);
        Assert.Equal((string?)chain["last_hash"], (string?)report["audit_chain"]!["last_hash"]);
        Assert.Matches("^[0-9a-f]{64}$", (string?)report["audit_chain"]!["last_hash"]);
    }

    [Fact]
    public async Task The_CSV_report_parses_as_RFC_4180_with_the_same_figures_and_no_formula()
    {
        var json = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/report?format=json")).Body!;
        using var response = await Server.Admin().GetAsync("/api/v1/nhi/report?format=csv");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("\r\n", text);
        var rows = Csv.Parse(text);
        Assert.Equal(["section", "key", "value", "detail"], rows[0]);
        Assert.All(rows, r => Assert.Equal(4, r.Count));
        string Value(string section, string key) => rows.Single(r => r[0] == section && r[1] == key)[2];
        Assert.Equal("'" + ReportedOrganisation.HostileName, Value("summary", "organisation"));
        Assert.Equal((string?)json["grade"], Value("summary", "grade"));
        Assert.Equal(_organisation.Expected.Select(e => (e.Day.ToString("yyyy-MM-dd"), e.Grade ?? "")), rows.Where(r => r[0] == "trend").Select(r => (r[1], r[2])));
        Assert.Equal("1", Value("enforcement", "policy.brownout"));
        Assert.Equal("1", Value("risk", "NHI2"));
        Assert.Equal((string?)json["audit_chain"]!["last_hash"], Value("audit_chain", "last_hash"));
        Assert.Contains(rows, r => r[0] == "incident" && r[2] == "canary.tripped");
        Assert.Contains(rows, r => r[0] == "offboarding" && r[2] == "admin.offboarding_transferred");
        Assert.DoesNotContain(rows.SelectMany(r => r), f => f.Length > 0 && f[0] is '=' or '+' or '-' or '@');
    }

    [Fact]
    public async Task The_HTML_report_is_one_self_contained_file_with_its_charts_and_every_text_encoded()
    {
        using var response = await Server.Admin().GetAsync("/api/v1/nhi/report");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ReportHtml.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        ReportFiles.AssertSelfContained(html);
        Assert.Contains("&lt;i&gt;Acme&lt;/i&gt;", html);
        Assert.DoesNotContain("<i>Acme", html);
        Assert.Equal(3, ReportFiles.Count(html, "<svg "));
        Assert.Equal(3, ReportFiles.Count(html, "<circle class=\"dot\""));
        Assert.Contains("@media print", html);
        Assert.DoesNotContain("canary-value-42", html);
    }

    [Fact]
    public async Task The_console_overview_links_to_the_report_which_the_console_serves_under_its_session()
    {
        using var console = Server.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await console.GetAsync("/console/report?format=html")).StatusCode);
        await ConsoleSignIn.PostAsync(console, new Uri("/console/login", UriKind.Relative), SecrServer.AdminToken);

        var overview = await console.GetStringAsync("/console");
        using var response = await console.GetAsync("/console/report?format=html");
        var html = await response.Content.ReadAsStringAsync();
        var api = await Server.Admin().GetStringAsync("/api/v1/nhi/report?format=html");

        Assert.Contains("href=\"/console/report?format=html\"", overview);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ReportHtml.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        ReportFiles.AssertSelfContained(html);
        // The same report: only the time it was generated at may differ (the clock stands still here, so nothing does).
        Assert.Equal(api, html);
        Assert.Equal(400, (int)(await console.GetAsync("/console/report?format=xml")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_format_is_a_400_problem_naming_the_formats()
    {
        foreach (var format in new[] { "pdf", "", "html,json" })
        {
            var (status, body) = await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/report?format=" + Uri.EscapeDataString(format));

            Assert.Equal(400, status);
            Assert.Contains("html, json or csv", body!["errors"]!["format"]![0]!.ToString());
        }
    }

    [Fact]
    public async Task The_report_needs_an_admin()
    {
        var (_, member) = await Server.AddUserAsync("someone@example.com");
        using var anonymous = Server.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/nhi/report")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/v1/nhi/report")).StatusCode);
    }

    [Fact]
    public async Task A_day_is_snapshotted_once_and_snapshots_older_than_the_retention_are_removed()
    {
        var snapshots = Server.Services.GetRequiredService<PostureSnapshots>();
        var today = PostureSnapshot.DayOf(Server.Clock.GetUtcNow());
        await using (var db = Server.OpenDatabase())
        {
            db.PostureSnapshots.Add(new PostureSnapshotEntity { Day = today.AddDays(-PostureSnapshot.RetentionDays), TakenAt = Server.Clock.GetUtcNow() });
            db.PostureSnapshots.Add(new PostureSnapshotEntity { Day = today.AddDays(1 - PostureSnapshot.RetentionDays), TakenAt = Server.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        Assert.Null(await snapshots.TakeAsync(CancellationToken.None));
        await using (var db = Server.OpenDatabase())
        {
            Assert.Equal(1, await db.PostureSnapshots.CountAsync(s => s.Day == today));
        }

        // A new day: its snapshot is taken (here, or by the job's tick the clock's move sets off), and the snapshot now past the retention goes.
        Server.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromTicks(Server.Clock.GetUtcNow().UtcTicks % TimeSpan.TicksPerDay) + TimeSpan.FromSeconds(1));
        await snapshots.TakeAsync(CancellationToken.None);
        await using (var db = Server.OpenDatabase())
        {
            Assert.Equal(1, await db.PostureSnapshots.CountAsync(s => s.Day == today.AddDays(1)));
            Assert.False(await db.PostureSnapshots.AnyAsync(s => s.Day == today.AddDays(-PostureSnapshot.RetentionDays)));
            Assert.True(await db.PostureSnapshots.AnyAsync(s => s.Day == today.AddDays(1 - PostureSnapshot.RetentionDays)));
        }
    }
}
