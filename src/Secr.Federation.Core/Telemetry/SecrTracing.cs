using System.Diagnostics;

namespace Secr.Federation.Core.Telemetry;

/// <summary>
/// The server's own spans. <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null while no
/// tracer listens, so an untraced server pays one check per span and allocates nothing.
/// </summary>
public static class SecrTracing
{
    public const string SourceName = "Secr.Federation";

    public static readonly ActivitySource Source = new(SourceName);
}
