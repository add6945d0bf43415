namespace Secr.Federation.Server.Observability;

/// <summary>The <c>Secr:Telemetry</c> configuration section: where metrics and traces go.</summary>
public sealed class TelemetrySettings
{
    public const string Section = "Secr:Telemetry";

    /// <summary>Serve the Prometheus scrape endpoint at <c>/metrics</c>.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>
    /// The OTLP collector that receives metrics, traces and logs; without it, the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is used, and without either nothing is exported over OTLP.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }
}
