using System.Diagnostics.Metrics;

namespace Secr.Federation.Core.Tests.Support;

/// <summary>
/// What the host's meter factory does, for one test: its meters carry it as their scope, so a listener can tell
/// them from every other test's, and disposing it ends them.
/// </summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
        }
    }
}
