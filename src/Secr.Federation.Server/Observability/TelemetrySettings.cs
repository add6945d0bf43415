using Secr.Federation.Core.Common;

namespace Secr.Federation.Server.Observability;

/// <summary>The <c>Secr:Telemetry</c> configuration section: where metrics and traces go.</summary>
public sealed class TelemetrySettings : ISettings<TelemetrySettings>
{
    public static string Section => "Secr:Telemetry";

    /// <summary>Serve the Prometheus scrape endpoint at <c>/metrics</c>.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>
    /// The OTLP collector that receives metrics, traces and logs; without it, the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is used, and without either nothing is exported over OTLP.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    public IEnumerable<string> Errors()
    {
        if (OtlpEndpoint is { IsAbsoluteUri: false } or { Scheme: not ("http" or "https") })
        {
            yield return $"{Section}:OtlpEndpoint must be an absolute http or https URL";
        }
    }
}
