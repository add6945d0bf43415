using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Tests;

public sealed class IdentityStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(IdentityStatus.Active, -1, IdentityStatus.Expired)]
    [InlineData(IdentityStatus.Active, 0, IdentityStatus.Expired)]
    [InlineData(IdentityStatus.Active, 1, IdentityStatus.Active)]
    [InlineData(IdentityStatus.Disabled, -1, IdentityStatus.Expired)]
    [InlineData(IdentityStatus.Disabled, 0, IdentityStatus.Expired)]
    [InlineData(IdentityStatus.Disabled, 1, IdentityStatus.Disabled)]
    [InlineData(IdentityStatus.Revoked, -1, IdentityStatus.Revoked)]
    [InlineData(IdentityStatus.Revoked, 1, IdentityStatus.Revoked)]
    [InlineData(IdentityStatus.Expired, 1, IdentityStatus.Expired)]
    public void Effective_status_derives_expiry_from_the_expiry_instant(IdentityStatus stored, int secondsUntilExpiry, IdentityStatus expected)
    {
        Assert.Equal(expected, IdentityStatusText.Effective(stored, Now.AddSeconds(secondsUntilExpiry), Now));
    }

    [Theory]
    [InlineData(IdentityStatus.Active)]
    [InlineData(IdentityStatus.Disabled)]
    [InlineData(IdentityStatus.Revoked)]
    public void Without_an_expiry_the_stored_status_stays(IdentityStatus stored)
    {
        Assert.Equal(stored, IdentityStatusText.Effective(stored, null, Now));
        Assert.Equal(stored, IdentityStatusText.Effective(stored, null, DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Expiry_is_compared_as_an_instant_whatever_its_offset()
    {
        var expiry = new DateTimeOffset(2026, 1, 15, 13, 0, 0, TimeSpan.FromHours(2)); // 11:00 UTC

        Assert.Equal(IdentityStatus.Expired, IdentityStatusText.Effective(IdentityStatus.Active, expiry, Now));
    }

    [Theory]
    [InlineData(IdentityStatus.Active, "active")]
    [InlineData(IdentityStatus.Disabled, "disabled")]
    [InlineData(IdentityStatus.Expired, "expired")]
    [InlineData(IdentityStatus.Revoked, "revoked")]
    public void Text_round_trips(IdentityStatus status, string text)
    {
        Assert.Equal(text, status.ToText());
        Assert.True(IdentityStatusText.TryParse(text, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Active")]
    [InlineData("killed")]
    public void Unknown_text_is_not_a_status(string? text)
    {
        Assert.False(IdentityStatusText.TryParse(text, out _));
    }
}
