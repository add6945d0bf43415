namespace Secr.Federation.Core.Federation.Keys;

public sealed class JwksFetchOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
    public int MaxResponseBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Development only: lets an issuer on a loopback address use plain http (e.g. a local fake issuer).
    /// Never enable in production.
    /// </summary>
    public bool AllowInsecureLoopbackIssuers { get; set; }
}
