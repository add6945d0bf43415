using System.Net;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Observability;

/// <summary>The Prometheus scrape endpoint: anonymous, counting what the server did, and free of credentials.</summary>
public sealed class MetricsTests
{
    private const string ClientAddress = "203.0.113.77";

    [Fact]
    public async Task Metrics_count_each_exchange_by_outcome_time_it_and_show_the_audit_queue_without_any_token_or_address()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        var client = scenario.Server.ClientFrom(ClientAddress);
        var subjectToken = scenario.Token();
        var otherRepository = scenario.Claims();
        otherRepository["repository_id"] = "75";

        var allowed = await scenario.Server.ExchangeAsync(subjectToken, client: client);
        var replayed = await scenario.Server.ExchangeAsync(subjectToken, client: client);
        var unbound = await scenario.Server.ExchangeAsync(scenario.Token(otherRepository), client: client);
        Assert.Equal(200, allowed.Status);
        Assert.Contains("subject_token.replayed", replayed.Description);
        Assert.Contains("binding.none_matched", unbound.Description);

        using var response = await scenario.Server.CreateClient().GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var metrics = PrometheusText.Parse(text);

        var issuer = ("source_issuer", scenario.Issuer.Issuer);
        var exchange = ("grant_type", SecrServer.TokenExchange);
        Assert.Equal(1, metrics.Sum("secr_admissions_total", issuer, exchange, ("outcome", "allowed")));
        Assert.Equal(2, metrics.Sum("secr_admissions_total", issuer, exchange, ("outcome", "refused")));
        Assert.Equal(1, metrics.Sum("secr_admissions_total", issuer, ("outcome", "refused"), ("reason", "subject_token.replayed")));
        Assert.Equal(1, metrics.Sum("secr_admissions_total", issuer, ("outcome", "refused"), ("reason", "binding.none_matched")));

        // Each admission is timed once; histograms have their buckets, ending at +Inf with the count.
        Assert.Equal(1, metrics.Sum("secr_admission_duration_seconds_count", exchange, ("outcome", "allowed")));
        Assert.Equal(2, metrics.Sum("secr_admission_duration_seconds_count", exchange, ("outcome", "refused")));
        Assert.Equal(3, metrics.Sum("secr_admission_duration_seconds_bucket", exchange, ("le", "+Inf")));
        Assert.True(metrics.Sum("secr_admission_duration_seconds_sum", exchange) > 0);

        // The exchanges and the admin calls before them committed audit batches; nothing is waiting now.
        var queue = Assert.Single(metrics.Named("secr_audit_queue_depth"));
        Assert.Equal(0, queue.Value);
        Assert.True(metrics.Sum("secr_audit_batch_size_count") >= 1);
        Assert.True(metrics.Sum("secr_audit_batch_duration_seconds_count", ("outcome", "committed")) >= 1);
        Assert.True(metrics.Sum("secr_issuer_keys_fetches_total", ("issuer", scenario.Issuer.Issuer), ("outcome", "success")) >= 1);
        Assert.True(metrics.Sum("secr_cache_lookups_total", ("cache", "issuer_keys"), ("result", "hit")) >= 1);

        foreach (var (what, value) in new[]
        {
            ("the subject token", subjectToken),
            ("the subject token's signature", subjectToken[(subjectToken.LastIndexOf('.') + 1)..]),
            ("the access token", allowed.AccessToken),
            ("the access token's signature", allowed.AccessToken[(allowed.AccessToken.LastIndexOf('.') + 1)..]),
            ("the admin token", SecrServer.AdminToken),
            ("the workload's subject", (string)scenario.Claims()["sub"]!),
            ("the client address", ClientAddress),
        })
        {
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"/metrics shows {what}");
        }
    }

    [Fact]
    public async Task Each_server_counts_only_its_own_admissions_even_in_a_shared_process()
    {
        await using var scenario = await PlatformScenario.StartAsync(Platform.GitHub);
        await using var other = new SecrServer();
        var otherClient = other.CreateClient(); // starts the second server before the first admits anything

        Assert.Equal(200, (await scenario.Server.ExchangeAsync(scenario.Token())).Status);
        Assert.Equal(400, (await other.ExchangeAsync("not.a.jwt", client: otherClient)).Status);

        var metrics = PrometheusText.Parse(await otherClient.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics.Sum("secr_admissions_total"));
        Assert.Equal(1, metrics.Sum("secr_admissions_total", ("outcome", "refused"), ("reason", "subject_token.malformed")));
    }

    [Fact]
    public async Task The_scrape_endpoint_can_be_turned_off()
    {
        await using var server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Telemetry:Prometheus"] = "false" });

        using var response = await server.CreateClient().GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
