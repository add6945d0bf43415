using System.Diagnostics.Metrics;

namespace Secr.Federation.Micro.Fakes;

/// <summary>Meters nobody listens to, as in a server without an exporter: the instruments cost what they cost unobserved.</summary>
internal sealed class UnobservedMeterFactory : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
