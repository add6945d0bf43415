using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Observability;

/// <summary>
/// <c>Secr:Logging:Format=json</c>: each console line is one JSON object whose scopes carry the request id, and that
/// id is the one the audit record of the same request and the caller's error description name.
/// </summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task A_request_logs_json_lines_carrying_the_request_id_of_its_audit_record()
    {
        var server = new SecrServer(
            settings: new Dictionary<string, string?>
            {
                ["Secr:Logging:Format"] = "json",
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            },
            services: FormattedLogs.Register);
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub, server);
        var claims = scenario.Claims();
        claims["repository_id"] = "75";

        var refused = await server.ExchangeAsync(scenario.Token(claims));

        var record = Assert.Single(await server.AuditAsync("?outcome=refused"));
        var requestId = (string)record!["request_id"]!;
        Assert.Contains($"request: {requestId})", refused.Description);

        var lines = FormattedLogs.Of(server).Lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var ofTheExchange = lines.Where(l => Scope(l, "RequestPath") == "/connect/token").ToList();
        Assert.Contains(ofTheExchange, l => ((string?)l["Message"])!.StartsWith("Request finished", StringComparison.Ordinal));
        Assert.All(ofTheExchange, l => Assert.Equal(requestId, Scope(l, "RequestId")));
        Assert.All(ofTheExchange, l => Assert.Matches("^[0-9a-f]{32}$", Scope(l, "TraceId")));
    }

    private static string? Scope(JsonObject line, string name) =>
        line["Scopes"]?.AsArray().Select(s => (string?)s?[name]).FirstOrDefault(v => v is not null);
}
