using Microsoft.Extensions.Options;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Hosting;

/// <summary>Every settings section is bound and checked one way, at start: a bad value stops the server and is named.</summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("Secr:Credentials:AccessTokenLifetime", "02:00:00", "Secr:Credentials:AccessTokenLifetime must be positive and at most")]
    [InlineData("Secr:Credentials:MaxAgentLifetime", "00:00:00", "Secr:Credentials:MaxAgentLifetime must be positive")]
    [InlineData("Secr:Keys:MinMaxAge", "2.00:00:00", "Secr:Keys: 0 <= MinMaxAge <= DefaultMaxAge <= MaxMaxAge")]
    [InlineData("Secr:Keys:RefreshCooldown", "-00:00:01", "Secr:Keys:RefreshCooldown and Secr:Keys:MaxStaleness must not be negative")]
    [InlineData("Secr:Posture:StalenessWindow", "00:00:00", "Secr:Posture:RotationWindow and Secr:Posture:StalenessWindow must be positive")]
    [InlineData("Secr:Posture:ReuseDistinctNetworks", "1", "Secr:Posture:ReuseDistinctNetworks, ReuseDistinctRepositories and ReuseDistinctWorkflows must each be 0 (off) or at least 2")]
    [InlineData("Secr:Posture:UsageWindow", "400.00:00:00", "Secr:Posture:UsageWindow must be positive and at most 366 days")]
    [InlineData("Secr:RateLimits:Identity:PerSecond", "0", "Secr:RateLimits:Identity needs PerSecond > 0")]
    [InlineData("Secr:Telemetry:OtlpEndpoint", "collector:4317/x", "Secr:Telemetry:OtlpEndpoint must be an absolute http or https URL")]
    [InlineData("Secr:Jobs:IntervalSeconds", "0", "Secr:Jobs:IntervalSeconds must be between 1 and 86400")]
    public void A_bad_value_in_any_section_stops_the_server_at_start_and_is_named(string setting, string value, string message)
    {
        using var server = new SecrServer(settings: new Dictionary<string, string?> { [setting] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => server.CreateClient());

        Assert.Contains(message, refused.Message);
    }
}
