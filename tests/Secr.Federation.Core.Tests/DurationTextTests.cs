using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Tests;

public class DurationTextTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("1s", 1)]
    [InlineData("15m", 15 * 60)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("3650d", 3650L * 86400)]
    [InlineData("87600h", 3650L * 86400)]
    [InlineData("0015m", 15 * 60)]
    public void ParsesOneUnitWholeNumbers(string text, long seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5")]
    [InlineData("0s")]
    [InlineData("0m")]
    [InlineData("-1s")]
    [InlineData("+1s")]
    [InlineData("1.5h")]
    [InlineData("1,5h")]
    [InlineData("1e3s")]
    [InlineData("1H")]
    [InlineData("1M")]
    [InlineData("1w")]
    [InlineData("1ms")]
    [InlineData("1h30m")]
    [InlineData(" 1h")]
    [InlineData("1h ")]
    [InlineData("1 h")]
    [InlineData("\uFF11h")] // full-width digit
    [InlineData("\u0661h")] // Arabic-Indic digit
    [InlineData("3651d")]
    [InlineData("87601h")]
    [InlineData("99999999999d")]
    [InlineData("1234567890123s")]
    public void RefusesEverythingElse(string? text)
    {
        Assert.False(DurationText.TryParse(text, out var duration));
        Assert.Equal(default, duration);
    }

    [Theory]
    [InlineData(90, "90s")]
    [InlineData(60, "1m")]
    [InlineData(90 * 60, "90m")]
    [InlineData(3600, "1h")]
    [InlineData(36 * 3600, "36h")]
    [InlineData(86400, "1d")]
    [InlineData(172800, "2d")]
    [InlineData(59, "59s")]
    public void FormatsInTheLargestWholeUnit(int seconds, string text) =>
        Assert.Equal(text, DurationText.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("45s")]
    [InlineData("15m")]
    [InlineData("90m")]
    [InlineData("36h")]
    [InlineData("48h")]
    [InlineData("7d")]
    public void FormatRoundTrips(string text)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.True(DurationText.TryParse(DurationText.Format(duration), out var again));
        Assert.Equal(duration, again);
    }
}
