using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Tests;

public sealed class RefusalResponsesTests
{
    [Theory]
    [InlineData(RefusalKind.InvalidRequest, 400, "invalid_request")]
    [InlineData(RefusalKind.InvalidScope, 400, "invalid_scope")]
    [InlineData(RefusalKind.Unauthenticated, 401, "invalid_token")]
    [InlineData(RefusalKind.Forbidden, 403, "access_denied")]
    [InlineData(RefusalKind.RateLimited, 429, "temporarily_unavailable")]
    [InlineData(RefusalKind.Unavailable, 503, "temporarily_unavailable")]
    public void Each_kind_has_one_status_and_one_OAuth_error(RefusalKind kind, int status, string error)
    {
        Assert.Equal(status, kind.HttpStatus());
        Assert.Equal(error, kind.OAuthError());
    }

    [Fact]
    public void Every_kind_is_answered()
    {
        Assert.All(Enum.GetValues<RefusalKind>(), kind => Assert.InRange(kind.HttpStatus(), 400, 599));
    }

    [Fact]
    public void Retry_after_is_sent_only_when_retrying_can_help_and_in_whole_seconds_rounded_up()
    {
        Assert.Equal("3", Refusal(RefusalKind.RateLimited, TimeSpan.FromSeconds(2.1)).RetryAfterSeconds());
        Assert.Equal("1", Refusal(RefusalKind.RateLimited, TimeSpan.FromMilliseconds(10)).RetryAfterSeconds());
        Assert.Equal("1", Refusal(RefusalKind.RateLimited, null).RetryAfterSeconds());
        Assert.Equal("5", Refusal(RefusalKind.Unavailable, null).RetryAfterSeconds());
        Assert.Null(Refusal(RefusalKind.Forbidden, null).RetryAfterSeconds());
        Assert.Null(Refusal(RefusalKind.InvalidRequest, TimeSpan.FromSeconds(9)).RetryAfterSeconds());
    }

    private static AdmissionRefusal Refusal(RefusalKind kind, TimeSpan? retryAfter) => new("code", kind, "description", "detail", retryAfter);
}
