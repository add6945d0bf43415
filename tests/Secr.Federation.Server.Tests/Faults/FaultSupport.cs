using System.Diagnostics;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Faults;

/// <summary>What the fault tests share: registering an issuer on a shared server, minting its tokens, timing and audit look-ups.</summary>
internal static class FaultSupport
{
    /// <summary>Registers a GitHub-preset issuer under a fresh name with the standard pinned binding; returns the name.</summary>
    public static async Task<string> RegisterGitHubIssuerAsync(SecrServer server, string issuerUrl)
    {
        var name = $"ci-{Guid.NewGuid():N}"[..16];
        await server.AddIssuerAsync(name, issuerUrl, "github");
        await server.AddBindingAsync(name, name, PlatformScenario.PinningConditions(Platform.GitHub));
        return name;
    }

    /// <summary>A fresh GitHub Actions token (new jti) from <paramref name="issuerUrl"/>, signed by <paramref name="key"/>.</summary>
    public static string GitHubToken(SigningKey key, string issuerUrl) =>
        JwtBuilder.Create(key).Claims(WorkloadClaims.GitHub(issuerUrl, SecrServer.Audience, DateTimeOffset.UtcNow)).Build();

    /// <summary>
    /// The audit record of one refused exchange, found by the request id its error_description ends with
    /// ("… (reason: code; request: id)."), so cases sharing a server never read each other's records.
    /// </summary>
    public static async Task<JsonNode> AuditRecordAsync(this SecrServer server, ExchangeResult refused)
    {
        var description = refused.Description ?? throw new Xunit.Sdk.XunitException($"no error_description: {refused.Body.ToJsonString()}");
        var requestId = description[(description.IndexOf("request: ", StringComparison.Ordinal) + "request: ".Length)..].TrimEnd(')', '.');
        var records = await server.AuditAsync("?outcome=refused&limit=500");
        return records.SingleOrDefault(r => (string?)r!["request_id"] == requestId)
            ?? throw new Xunit.Sdk.XunitException($"no audit record for request {requestId}");
    }

    /// <summary>
    /// For an exchange whose key fetch hangs: once <paramref name="fetchUnderWay"/> holds, the exchange must still be
    /// waiting just short of the fetch timeout on the server's clock, and must answer once the clock reaches it. The
    /// issuer hangs for <see cref="SlowJwksTests.Hang"/>, longer than the test waits, so only the server's own deadline
    /// can end the wait.
    /// </summary>
    public static async Task<ExchangeResult> AnsweredAtTheFetchTimeoutAsync(SecrServer server, Task<ExchangeResult> exchange, Func<bool> fetchUnderWay)
    {
        await WaitUntilAsync(fetchUnderWay, "the key fetch is under way");
        server.Clock.Advance(SlowJwksTests.FetchTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(exchange.IsCompleted, "the exchange was answered before the fetch timeout");
        server.Clock.Advance(TimeSpan.FromMilliseconds(1));
        return await AnsweredAsync(exchange);
    }

    /// <summary>The exchange's answer, which must come while the issuer still hangs (a liveness bound, not a timing).</summary>
    public static Task<ExchangeResult> AnsweredAsync(Task<ExchangeResult> exchange) => exchange.WaitAsync(SlowJwksTests.Hang / 2);

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting until {what}");
            }

            await Task.Delay(20);
        }
    }
}
