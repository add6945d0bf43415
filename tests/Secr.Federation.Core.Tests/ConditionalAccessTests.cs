using System.Net;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Tests;

public sealed class ConditionalAccessTests
{
    // 2026-01-12 is a Monday.
    private static readonly DateTimeOffset MondayNoon = new(2026, 1, 12, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayNight = new(2026, 1, 12, 21, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SaturdayNoon = new(2026, 1, 17, 12, 0, 0, TimeSpan.Zero);

    private static readonly IPAddress Inside = IPAddress.Parse("203.0.113.9");
    private static readonly IPAddress Outside = IPAddress.Parse("198.51.100.7");

    [Fact]
    public void Empty_restrictions_allow_everything()
    {
        Assert.True(ConditionalAccess.None.IsEmpty);
        Assert.True(new ConditionalAccess().IsEmpty);
        Assert.Null(ConditionalAccess.None.Check(null, null, SaturdayNoon));
        Assert.Null(ConditionalAccess.None.Check(Outside, "anything/1.0", MondayNight));
        Assert.Null(ConditionalAccess.None.Check(IPAddress.IPv6Loopback, "", DateTimeOffset.MinValue));
    }

    [Fact]
    public void Any_restriction_makes_it_non_empty()
    {
        Assert.False(Networks("10.0.0.0/8").IsEmpty);
        Assert.False(Window("08:00-18:00").IsEmpty);
        Assert.False(new ConditionalAccess { UserAgentPattern = "curl/*" }.IsEmpty);
    }

    [Fact]
    public void A_client_inside_an_allowed_network_passes()
    {
        var access = Networks("10.0.0.0/8", "203.0.113.0/24");

        Assert.Null(access.Check(Inside, null, MondayNoon));
        Assert.Null(access.Check(IPAddress.Parse("10.200.3.4"), null, MondayNoon));
    }

    [Fact]
    public void A_client_outside_every_allowed_network_is_refused()
    {
        var refusal = Networks("10.0.0.0/8", "203.0.113.0/24").Check(Outside, null, MondayNoon);

        Assert.Equal("access.ip_not_allowed", refusal!.Value.Code.Value);
        Assert.Contains("198.51.100.7", refusal.Value.Detail);
        Assert.Contains("203.0.113.0/24", refusal.Value.Detail);
    }

    [Fact]
    public void An_unknown_client_address_is_refused_when_networks_are_set()
    {
        var refusal = Networks("0.0.0.0/0").Check(null, null, MondayNoon);

        Assert.Equal("access.ip_not_allowed", refusal!.Value.Code.Value);
        Assert.Contains("(unknown)", refusal.Value.Detail);
    }

    [Fact]
    public void An_ipv4_mapped_ipv6_client_is_judged_as_its_ipv4_address()
    {
        var access = Networks("203.0.113.0/24");

        Assert.Null(access.Check(IPAddress.Parse("::ffff:203.0.113.9"), null, MondayNoon));
        Assert.Null(access.Check(Inside.MapToIPv6(), null, MondayNoon));
        Assert.Equal("access.ip_not_allowed", access.Check(IPAddress.Parse("::ffff:198.51.100.7"), null, MondayNoon)!.Value.Code.Value);
    }

    [Fact]
    public void Ipv6_networks_do_not_admit_ipv4_clients_and_vice_versa()
    {
        Assert.Null(Networks("2001:db8::/32").Check(IPAddress.Parse("2001:db8::42"), null, MondayNoon));
        Assert.Equal("access.ip_not_allowed", Networks("2001:db8::/32").Check(Inside, null, MondayNoon)!.Value.Code.Value);
        Assert.Equal("access.ip_not_allowed", Networks("203.0.113.0/24").Check(IPAddress.Parse("2001:db8::42"), null, MondayNoon)!.Value.Code.Value);
    }

    [Fact]
    public void An_instant_inside_the_time_window_passes()
    {
        Assert.Null(Window("08:00-18:00", "mon", "tue").Check(Inside, null, MondayNoon));
    }

    [Fact]
    public void An_instant_outside_the_time_window_is_refused()
    {
        var access = Window("08:00-18:00", "mon", "tue");

        var evening = access.Check(Inside, null, MondayNight);
        var weekend = access.Check(Inside, null, SaturdayNoon);

        Assert.Equal("access.outside_time_window", evening!.Value.Code.Value);
        Assert.Contains("2026-01-12 21:00", evening.Value.Detail);
        Assert.Equal("access.outside_time_window", weekend!.Value.Code.Value);
    }

    [Fact]
    public void A_matching_user_agent_passes()
    {
        var access = new ConditionalAccess { UserAgentPattern = "GitHub-Actions/*" };

        Assert.Null(access.Check(Inside, "GitHub-Actions/2.311.0", MondayNoon));
    }

    [Theory]
    [InlineData("curl/8.5.0")]
    [InlineData("github-actions/2.311.0")]
    [InlineData("")]
    public void A_different_user_agent_is_refused(string userAgent)
    {
        var refusal = new ConditionalAccess { UserAgentPattern = "GitHub-Actions/*" }.Check(Inside, userAgent, MondayNoon);

        Assert.Equal("access.user_agent_not_allowed", refusal!.Value.Code.Value);
        Assert.Contains("GitHub-Actions/*", refusal.Value.Detail);
    }

    [Fact]
    public void An_absent_user_agent_is_refused_when_a_pattern_is_set()
    {
        var refusal = new ConditionalAccess { UserAgentPattern = "*" }.Check(Inside, null, MondayNoon);

        Assert.Equal("access.user_agent_not_allowed", refusal!.Value.Code.Value);
        Assert.Contains("(none)", refusal.Value.Detail);
    }

    [Fact]
    public void Every_restriction_must_hold_and_the_first_failure_is_reported()
    {
        var all = Networks("203.0.113.0/24") with
        {
            TimeWindow = Window("08:00-18:00", "mon").TimeWindow,
            UserAgentPattern = "GitHub-Actions/*",
        };

        Assert.Null(all.Check(Inside, "GitHub-Actions/2", MondayNoon));
        Assert.Equal("access.ip_not_allowed", all.Check(Outside, "curl/8", MondayNight)!.Value.Code.Value);
        Assert.Equal("access.outside_time_window", all.Check(Inside, "curl/8", MondayNight)!.Value.Code.Value);
        Assert.Equal("access.user_agent_not_allowed", all.Check(Inside, "curl/8", MondayNoon)!.Value.Code.Value);
    }

    private static ConditionalAccess Networks(params string[] cidrs) => new() { AllowedNetworks = cidrs.Select(Cidr.Parse).ToList() };

    private static ConditionalAccess Window(string range, params string[] days)
    {
        Assert.True(TimeWindow.TryParse(range, days.Length == 0 ? null : days, out var window, out var error), error);
        return new ConditionalAccess { TimeWindow = window };
    }
}
