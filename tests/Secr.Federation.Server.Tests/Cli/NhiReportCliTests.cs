using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Governance.Report;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary><c>secr nhi report</c> against the real server in-process: each format to standard output or a file.</summary>
public sealed class NhiReportCliTests : GitHubCliTest
{
    protected override async Task SeedAsync() =>
        await Server.PostAdminAsync("/api/v1/tokens", new { name = "bare", project = "payments", environment = "prod", permission = "read" });

    [Fact]
    public async Task Report_prints_the_HTML_file_by_default_and_the_JSON_the_API_serves()
    {
        var html = await AsAdmin("nhi", "report");
        var json = await AsAdmin("nhi", "report", "--format", "json");

        Assert.Equal(0, html.Exit);
        ReportFiles.AssertSelfContained(html.Out);
        Assert.Contains("<h2>Organisation grade</h2>", html.Out);
        Assert.Equal(0, json.Exit);
        var report = JsonNode.Parse(json.Out)!;
        var summary = (await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/nhi/summary")).Body!;
        Assert.Equal((string?)summary["grade"], (string?)report["grade"]);
        Assert.True((bool)report["audit_chain"]!["verified"]!);
        Assert.Empty(report["trend"]!.AsArray()); // the server has not lived a day yet: no snapshot
    }

    [Fact]
    public async Task Report_writes_the_CSV_byte_for_byte_to_the_output_file()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("secr-report-").FullName, "report.csv");

        var written = await AsAdmin("nhi", "report", "--format", "csv", "--output", file);

        Assert.Equal(0, written.Exit);
        Assert.Contains($"report written to {file}", written.Out);
        var text = await File.ReadAllTextAsync(file);
        Assert.StartsWith("section,key,value,detail\r\n", text);
        var rows = Csv.Parse(text);
        Assert.Contains(rows, r => r[0] == "grade" && r[1] == "ungraded");
        Assert.Equal(await Server.Admin().GetStringAsync("/api/v1/nhi/report?format=csv"), text);
    }

    [Fact]
    public async Task Report_refuses_a_format_it_does_not_have_before_calling_the_server()
    {
        var pdf = await AsAdmin("nhi", "report", "--format", "pdf");

        Assert.Equal(2, pdf.Exit);
        Assert.Contains("pdf", pdf.Err);
    }
}
