using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Observability;

/// <summary>
/// OpenTelemetry for the host: the server's own meter and spans (<see cref="SecrMetrics"/>, <see cref="SecrTracing"/>)
/// with ASP.NET Core and HttpClient instrumentation. Metrics are scraped at <see cref="MetricsPath"/> and, like traces
/// and logs, pushed over OTLP when a collector is configured; with no collector there is no trace sink, so no tracer
/// is registered and spans cost nothing.
/// </summary>
public static class TelemetryRegistration
{
    public const string MetricsPath = "/metrics";
    public const string ServiceName = "secr-federation";

    public static void AddSecrTelemetry(this WebApplicationBuilder builder)
    {
        var settings = SettingsBinding.Read<TelemetrySettings>(builder.Configuration);
        var standardOtlpEndpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 };
        var exportsOtlp = settings.OtlpEndpoint is not null || standardOtlpEndpoint;
        builder.Services.AddSettings(settings);
        if (!settings.Prometheus && !exportsOtlp)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SecrMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                // Deferred: the view needs this host's meter factory, which exists once the container is built.
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, provider) => provider.AddView(OnlyThisHostsMeters(services.GetRequiredService<IMeterFactory>())));
                if (settings.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        if (!exportsOtlp)
        {
            return;
        }

        var alertWebhook = builder.Configuration["Secr:Alerts:WebhookUrl"] is { Length: > 0 } webhook ? new Uri(webhook) : null;
        telemetry.WithTracing(tracing => tracing
            .AddSource(SecrTracing.SourceName)
            .AddAspNetCoreInstrumentation()
            // Many webhook services (Slack, Teams) put their credential in the URL's path, which a client span records whole.
            .AddHttpClientInstrumentation(client => client.FilterHttpRequestMessage = request => request.RequestUri != alertWebhook));

        if (settings.OtlpEndpoint is { } endpoint)
        {
            var protocol = builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, endpoint);
        }
        else
        {
            // Reads every standard OTEL_EXPORTER_OTLP_* setting (protocol, headers, per-signal endpoints).
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>
    /// The scrape endpoint is anonymous, as Prometheus scrapes: it carries counts and timings tagged with bounded
    /// values (outcomes, reason codes, registered issuers, route templates), never a credential, subject or address.
    /// </summary>
    public static void MapSecrMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TelemetrySettings>().Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).HasRoles(EndpointRoles.Probe);
        }
    }

    /// <summary>
    /// Probes and scrapes (<see cref="EndpointRoles.Probe"/>) come every few seconds and say nothing about the work:
    /// their request spans are not recorded, so no exporter sends them. The instrumentation's own filter runs before
    /// routing, when the endpoint is not known yet; this runs after it.
    /// </summary>
    public static IApplicationBuilder UseUntracedProbes(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (Activity.Current is { Recorded: true } span && http.Is(EndpointRoles.Probe))
        {
            span.IsAllDataRequested = false;
            span.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }

        return next(http);
    });

    /// <summary>
    /// OpenTelemetry listens to meters by name, so a second host in the process (the in-process test servers) would
    /// count into this one's metrics: a meter made by another host's factory is dropped; process-wide meters stay.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisHostsMeters(IMeterFactory ownFactory) => instrument =>
        instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, ownFactory) ? MetricStreamConfiguration.Drop : null;
}
