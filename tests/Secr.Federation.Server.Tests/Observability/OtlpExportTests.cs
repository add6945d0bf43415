using System.Text;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;
using Secr.Federation.Server.Tests.Secrets;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Secr.Federation.Server.Tests.Observability;

/// <summary>Traces (and metrics and logs) go over OTLP only when a collector is configured.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_a_collector_the_admission_stages_and_key_fetches_are_exported_as_spans_but_not_the_alert_webhook_nor_probes()
    {
        using var collector = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        collector.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        using var webhook = FakeWebhook.Start();
        var server = new SecrServer(settings: new Dictionary<string, string?>
        {
            ["Secr:Telemetry:OtlpEndpoint"] = collector.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // The tracer hears every server in the process, and the parallel suite's spans could fill the default queue
            // (2,048) and push this test's own spans out before the flush.
            ["OTEL_BSP_MAX_QUEUE_SIZE"] = "262144",
            ["Secr:Alerts:WebhookUrl"] = webhook.Url,
        });

        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub, server);
        var jwksUrl = scenario.Issuer.Issuer + "/.well-known/jwks";

        Assert.Equal(200, (await server.ExchangeAsync(scenario.Token())).Status);
        await server.Services.GetRequiredService<ICanaryAlerts>().RaiseAsync(
            new CanaryAlert(DateTimeOffset.UtcNow, "payments", "prod", ["HONEYPOT"], "machine_token", "ci", "mt_1", null, null, "req-1"), CancellationToken.None);
        Assert.Single(webhook.Bodies);
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/HealthZ/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/READYZ")).StatusCode);
        Assert.True(server.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000), "the spans could not be exported");

        // Span names and URLs are plain UTF-8 inside the protobuf bodies.
        var traces = collector.LogEntries.Where(e => e.RequestMessage?.Path == "/v1/traces").Select(e => Encoding.UTF8.GetString(e.RequestMessage!.BodyAsBytes ?? [])).ToList();
        foreach (var span in new[] { "secr.admission", "secr.admission.authenticate", "secr.admission.resolve", "secr.admission.policy", "secr.admission.audit", jwksUrl })
        {
            Assert.Contains(traces, body => body.Contains(span, StringComparison.Ordinal));
        }

        // Many webhook services carry their credential in the URL: the alert's request is not traced.
        Assert.DoesNotContain(traces, body => body.Contains(webhook.Url, StringComparison.Ordinal));

        // Request spans are exported, but not those of probes, however their path is spelt (selected by endpoint, not by
        // path). The spellings are this test's own: the instrumentation hears every host in the process, and other
        // tests' servers (the fuzzer's POST /healthz, a 405 and no probe) make requests of their own.
        Assert.Contains(traces, body => body.Contains("/connect/token", StringComparison.Ordinal));
        Assert.DoesNotContain(traces, body => body.Contains("/HealthZ/", StringComparison.Ordinal) || body.Contains("/READYZ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_collector_no_tracer_runs()
    {
        await using var server = new SecrServer();

        Assert.Null(server.Services.GetService<TracerProvider>());
    }
}
