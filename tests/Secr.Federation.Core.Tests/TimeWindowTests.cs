using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Tests;

public sealed class TimeWindowTests
{
    // 2026-01-12 is a Monday.
    private static readonly DateTimeOffset Sunday = new(2026, 1, 11, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Monday = new(2026, 1, 12, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Tuesday = new(2026, 1, 13, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Saturday = new(2026, 1, 17, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_fixed_dates_are_the_weekdays_they_are_named_after()
    {
        Assert.Equal(DayOfWeek.Sunday, Sunday.DayOfWeek);
        Assert.Equal(DayOfWeek.Monday, Monday.DayOfWeek);
        Assert.Equal(DayOfWeek.Tuesday, Tuesday.DayOfWeek);
        Assert.Equal(DayOfWeek.Saturday, Saturday.DayOfWeek);
    }

    [Fact]
    public void Parses_a_range_with_days()
    {
        Assert.True(TimeWindow.TryParse("08:00-18:00", ["mon", "tue", "fri"], out var window, out var error));

        Assert.Null(error);
        Assert.Equal(new TimeOnly(8, 0), window!.Start);
        Assert.Equal(new TimeOnly(18, 0), window.End);
        Assert.Equal(new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Friday }, window.Days.Order());
        Assert.Equal("08:00-18:00", window.Range);
        Assert.Equal(new[] { "mon", "tue", "fri" }, window.DayList);
        Assert.Equal("08:00-18:00 UTC (mon,tue,fri)", window.ToString());
    }

    [Fact]
    public void Without_days_every_day_is_in_the_window()
    {
        Assert.True(TimeWindow.TryParse("09:30-17:45", null, out var window, out _));

        Assert.Equal(7, window!.Days.Count);
        Assert.Equal(new[] { "sun", "mon", "tue", "wed", "thu", "fri", "sat" }, window.DayList);
        Assert.True(window.Contains(Saturday.AddHours(10)));
        Assert.True(window.Contains(Sunday.AddHours(10)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("8-18")]
    [InlineData("8:00-18:00")]
    [InlineData("08:00")]
    [InlineData("08:00-")]
    [InlineData("08:00 - 18:00")]
    [InlineData("08:00-18:00-20:00")]
    [InlineData("25:00-26:00")]
    [InlineData("08:60-18:00")]
    [InlineData("24:00-06:00")]
    [InlineData("08:00-08:00")]
    [InlineData("00:00-00:00")]
    [InlineData("08.00-18.00")]
    [InlineData("08:00:00-18:00:00")]
    public void Refuses_malformed_ranges_with_an_error(string? range)
    {
        Assert.False(TimeWindow.TryParse(range, ["mon"], out var window, out var error));

        Assert.Null(window);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("monday")]
    [InlineData("Mon")]
    [InlineData("MON")]
    [InlineData("")]
    [InlineData("xyz")]
    public void Refuses_an_unknown_day_with_an_error(string day)
    {
        Assert.False(TimeWindow.TryParse("08:00-18:00", ["mon", day], out var window, out var error));

        Assert.Null(window);
        Assert.Contains("mon", error);
    }

    [Fact]
    public void The_start_is_inside_and_the_end_is_outside()
    {
        var window = Parse("08:00-18:00", "mon");

        Assert.False(window.Contains(Monday.AddHours(8).AddTicks(-1)));
        Assert.True(window.Contains(Monday.AddHours(8)));
        Assert.True(window.Contains(Monday.AddHours(12)));
        Assert.True(window.Contains(Monday.AddHours(18).AddTicks(-1)));
        Assert.False(window.Contains(Monday.AddHours(18)));
    }

    [Fact]
    public void A_day_not_listed_is_outside_even_within_the_hours()
    {
        var window = Parse("08:00-18:00", "mon", "tue");

        Assert.True(window.Contains(Tuesday.AddHours(9)));
        Assert.False(window.Contains(Saturday.AddHours(9)));
        Assert.False(window.Contains(Sunday.AddHours(9)));
    }

    [Fact]
    public void Instants_with_an_offset_are_judged_in_utc()
    {
        var window = Parse("08:00-18:00", "mon");

        // 09:30 at +02:00 is 07:30 UTC: outside. 19:30 at +02:00 is 17:30 UTC: inside.
        Assert.False(window.Contains(new DateTimeOffset(2026, 1, 12, 9, 30, 0, TimeSpan.FromHours(2))));
        Assert.True(window.Contains(new DateTimeOffset(2026, 1, 12, 19, 30, 0, TimeSpan.FromHours(2))));

        // Sunday 23:30 at -05:00 is Monday 04:30 UTC, Monday 20:00 at -05:00 is Tuesday 01:00 UTC: both outside.
        Assert.False(window.Contains(new DateTimeOffset(2026, 1, 11, 23, 30, 0, TimeSpan.FromHours(-5))));
        Assert.False(window.Contains(new DateTimeOffset(2026, 1, 12, 20, 0, 0, TimeSpan.FromHours(-5))));

        // Sunday 22:00 at -12:00 is Monday 10:00 UTC: inside.
        Assert.True(window.Contains(new DateTimeOffset(2026, 1, 11, 22, 0, 0, TimeSpan.FromHours(-12))));
    }

    [Fact]
    public void A_window_wrapping_midnight_belongs_to_the_day_it_starts_on()
    {
        var window = Parse("22:00-06:00", "mon");

        Assert.True(window.Contains(Monday.AddHours(23)));
        Assert.True(window.Contains(Tuesday.AddHours(5)));
        Assert.False(window.Contains(Monday.AddHours(5)));   // the early part of Sunday's window
        Assert.False(window.Contains(Tuesday.AddHours(23))); // Tuesday's window is not listed
    }

    [Fact]
    public void A_window_wrapping_midnight_has_inclusive_start_and_exclusive_end()
    {
        var window = Parse("22:00-06:00", "mon");

        Assert.False(window.Contains(Monday.AddHours(22).AddTicks(-1)));
        Assert.True(window.Contains(Monday.AddHours(22)));
        Assert.True(window.Contains(Tuesday));                // midnight
        Assert.True(window.Contains(Tuesday.AddHours(6).AddTicks(-1)));
        Assert.False(window.Contains(Tuesday.AddHours(6)));
        Assert.False(window.Contains(Monday.AddHours(12)));
    }

    [Fact]
    public void A_wrapping_window_on_saturday_runs_into_sunday()
    {
        var window = Parse("20:00-02:00", "sat");

        Assert.True(window.Contains(Saturday.AddHours(21)));
        Assert.True(window.Contains(Saturday.AddDays(1).AddHours(1)));
        Assert.False(window.Contains(Saturday.AddHours(1)));
        Assert.False(window.Contains(Sunday.AddHours(21)));
    }

    private static TimeWindow Parse(string range, params string[] days)
    {
        Assert.True(TimeWindow.TryParse(range, days, out var window, out var error), error);
        return window!;
    }

    [Fact]
    public void An_empty_day_list_is_refused_rather_than_locking_the_identity_out()
    {
        Assert.False(TimeWindow.TryParse("08:00-18:00", [], out var window, out var error));
        Assert.Null(window);
        Assert.Contains("at least one day", error);
    }
}
