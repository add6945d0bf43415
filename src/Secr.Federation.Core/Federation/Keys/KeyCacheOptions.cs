using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Federation.Keys;

/// <summary>How issuer keys are cached and refreshed (<c>Secr:Keys</c>).</summary>
public sealed class KeyCacheOptions : ISettings<KeyCacheOptions>
{
    public static string Section => "Secr:Keys";

    /// <summary>At most one fetch per issuer in this window, whatever the tokens say (jwt-attacks #3).</summary>
    public TimeSpan RefreshCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Freshness when the issuer sends no usable Cache-Control.</summary>
    public TimeSpan DefaultMaxAge { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan MinMaxAge { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the last good keys keep working while the issuer cannot be reached.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromHours(12);

    public IEnumerable<string> Errors()
    {
        if (RefreshCooldown < TimeSpan.Zero || MaxStaleness < TimeSpan.Zero)
        {
            yield return $"{Section}:RefreshCooldown and {Section}:MaxStaleness must not be negative";
        }

        // MinMaxAge 0 is allowed: keys then follow the issuer's own Cache-Control, however short.
        if (MinMaxAge < TimeSpan.Zero || MinMaxAge > DefaultMaxAge || DefaultMaxAge > MaxMaxAge)
        {
            yield return $"{Section}: 0 <= MinMaxAge <= DefaultMaxAge <= MaxMaxAge must hold";
        }
    }
}
