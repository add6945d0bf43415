using System.Globalization;

namespace Secr.Federation.Core.Policy;

/// <summary>
/// A UTC time window such as <c>08:00-18:00</c> on chosen weekdays. A window whose end is before its start wraps
/// midnight (<c>22:00-06:00</c>); the weekday is the one the window starts on.
/// </summary>
public sealed record TimeWindow(TimeOnly Start, TimeOnly End, IReadOnlySet<DayOfWeek> Days)
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static bool TryParse(string? range, IReadOnlyList<string>? days, out TimeWindow? window, out string? error)
    {
        window = null;
        error = null;
        var parts = range?.Split('-');
        if (parts is not { Length: 2 } ||
            !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start) ||
            !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end) || start == end)
        {
            error = "a time window is HH:mm-HH:mm in UTC, e.g. 08:00-18:00, with different start and end";
            return false;
        }

        if (days is { Count: 0 })
        {
            error = "days, when given, must name at least one day (a window on no day would lock the identity out for good)";
            return false;
        }

        var set = new HashSet<DayOfWeek>();
        foreach (var day in days ?? DayNames)
        {
            var index = Array.IndexOf(DayNames, day);
            if (index < 0)
            {
                error = $"days are {string.Join(", ", DayNames)}";
                return false;
            }

            set.Add((DayOfWeek)index);
        }

        window = new TimeWindow(start, end, set);
        return true;
    }

    public bool Contains(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        var time = TimeOnly.FromDateTime(utc);
        if (Start < End)
        {
            return Days.Contains(utc.DayOfWeek) && time >= Start && time < End;
        }

        // Wrapping midnight: the late part belongs to today's window, the early part to yesterday's.
        return (time >= Start && Days.Contains(utc.DayOfWeek)) || (time < End && Days.Contains(utc.AddDays(-1).DayOfWeek));
    }

    public string Range => $"{Start:HH\\:mm}-{End:HH\\:mm}";

    public IReadOnlyList<string> DayList => Days.Order().Select(d => DayNames[(int)d]).ToList();

    public override string ToString() => $"{Range} UTC ({string.Join(",", DayList)})";
}
