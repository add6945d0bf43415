namespace Secr.Federation.Core.Federation.Keys;

public sealed class KeyCacheOptions
{
    /// <summary>At most one fetch per issuer in this window, whatever the tokens say (jwt-attacks #3).</summary>
    public TimeSpan RefreshCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Freshness when the issuer sends no usable Cache-Control.</summary>
    public TimeSpan DefaultMaxAge { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan MinMaxAge { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the last good keys keep working while the issuer cannot be reached.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromHours(12);
}
