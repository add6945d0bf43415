using System.Globalization;

namespace Secr.Federation.Core.Common;

/// <summary>Durations as admins type them: <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>. One unit, a positive whole number.</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text.Length is < 2 or > 12)
        {
            return false;
        }

        if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            return false;
        }

        long? seconds = text[^1] switch
        {
            's' => value,
            'm' => value * 60,
            'h' => value * 3600,
            'd' => value * 86400,
            _ => null,
        };

        if (seconds is null or > 3650L * 86400)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds.Value);
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration == TimeSpan.Zero ? "0s" :
        duration.TotalSeconds % 86400 == 0 ? $"{(long)duration.TotalDays}d" :
        duration.TotalSeconds % 3600 == 0 ? $"{(long)duration.TotalHours}h" :
        duration.TotalSeconds % 60 == 0 ? $"{(long)duration.TotalMinutes}m" :
        $"{(long)duration.TotalSeconds}s";
}
