using Secr.Federation.Core.Governance;

namespace Secr.Federation.Core.Tests;

public sealed class BrownoutTests
{
    private const int Requests = 10_000;

    [Fact]
    public void Zero_percent_never_refuses()
    {
        var brownout = new Brownout();

        Assert.DoesNotContain(Run(brownout, "mt_1", 0, Requests), refused => refused);
    }

    [Fact]
    public void A_negative_percent_never_refuses()
    {
        Assert.DoesNotContain(Run(new Brownout(), "mt_1", -10, 1_000), refused => refused);
    }

    [Fact]
    public void A_hundred_percent_always_refuses()
    {
        Assert.All(Run(new Brownout(), "mt_1", 100, Requests), Assert.True);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(33)]
    [InlineData(50)]
    [InlineData(75)]
    [InlineData(99)]
    public void The_refusal_rate_is_the_percentage(int percent)
    {
        var refusals = Run(new Brownout(), "mt_1", percent, Requests).Count(refused => refused);

        Assert.InRange(refusals, (percent - 2) * Requests / 100, (percent + 2) * Requests / 100);
        Assert.Equal(percent * Requests / 100, refusals);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(33)]
    [InlineData(50)]
    [InlineData(75)]
    [InlineData(99)]
    public void Every_block_of_100_requests_refuses_exactly_the_percentage(int percent)
    {
        var outcomes = Run(new Brownout(), "mt_1", percent, Requests);

        for (var block = 0; block < Requests / 100; block++)
        {
            Assert.Equal(percent, outcomes.Skip(block * 100).Take(100).Count(refused => refused));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(33)]
    [InlineData(50)]
    public void Refusals_are_spread_evenly_without_bursts(int percent)
    {
        var refusedAt = Indices(Run(new Brownout(), "mt_1", percent, Requests), refused: true);
        var minimumGap = 100 / percent;

        Assert.NotEmpty(refusedAt);
        for (var i = 1; i < refusedAt.Count; i++)
        {
            var gap = refusedAt[i] - refusedAt[i - 1];
            Assert.True(gap >= minimumGap, $"refusals at requests {refusedAt[i - 1]} and {refusedAt[i]} are {gap} apart (< {minimumGap}) at {percent}%");
            Assert.True(gap <= minimumGap + 1, $"refusals at requests {refusedAt[i - 1]} and {refusedAt[i]} are {gap} apart (> {minimumGap + 1}) at {percent}%");
        }
    }

    [Theory]
    [InlineData(50)]
    [InlineData(75)]
    [InlineData(90)]
    [InlineData(99)]
    public void At_high_percentages_the_admitted_requests_are_spread_evenly_too(int percent)
    {
        var admittedAt = Indices(Run(new Brownout(), "mt_1", percent, Requests), refused: false);
        var minimumGap = 100 / (100 - percent);

        Assert.Equal((100 - percent) * Requests / 100, admittedAt.Count);
        for (var i = 1; i < admittedAt.Count; i++)
        {
            Assert.InRange(admittedAt[i] - admittedAt[i - 1], minimumGap, minimumGap + 1);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(99)]
    public void The_first_request_of_an_identity_is_admitted_below_100_percent(int percent)
    {
        Assert.False(new Brownout().Refuses("mt_1", percent));
    }

    [Fact]
    public void Half_refuses_every_second_request()
    {
        Assert.Equal(new[] { false, true, false, true, false, true }, Run(new Brownout(), "mt_1", 50, 6));
    }

    [Fact]
    public void Counters_are_kept_per_identity()
    {
        var brownout = new Brownout();

        // Interleaving two identities must not let one use up the other's admitted requests.
        var a = new List<bool>();
        var b = new List<bool>();
        for (var i = 0; i < 1_000; i++)
        {
            a.Add(brownout.Refuses("mt_a", 50));
            b.Add(brownout.Refuses("mt_b", 50));
        }

        Assert.Equal(Run(new Brownout(), "x", 50, 1_000), a);
        Assert.Equal(a, b);
        Assert.Equal(500, a.Count(refused => refused));
    }

    [Fact]
    public void A_new_identity_starts_its_own_count()
    {
        var brownout = new Brownout();
        Run(brownout, "mt_a", 10, 9);

        // mt_a's tenth request is refused; mt_b's first is not.
        Assert.False(brownout.Refuses("mt_b", 10));
        Assert.True(brownout.Refuses("mt_a", 10));
    }

    [Fact]
    public void Identity_ids_are_compared_ordinally()
    {
        var brownout = new Brownout();

        Assert.False(brownout.Refuses("mt_a", 50));
        Assert.False(brownout.Refuses("MT_A", 50));
        Assert.True(brownout.Refuses("mt_a", 50));
    }

    [Fact]
    public void Zero_percent_requests_do_not_advance_the_count()
    {
        var brownout = new Brownout();
        Run(brownout, "mt_1", 0, 5);

        Assert.Equal(new[] { false, true }, Run(brownout, "mt_1", 50, 2));
    }

    [Fact]
    public void Concurrent_requests_are_counted_exactly()
    {
        var brownout = new Brownout();
        var refusals = 0;

        Parallel.For(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (brownout.Refuses("mt_1", 25))
            {
                Interlocked.Increment(ref refusals);
            }
        });

        Assert.Equal(Requests / 4, refusals);
    }

    private static List<bool> Run(Brownout brownout, string identity, int percent, int count) =>
        Enumerable.Range(0, count).Select(_ => brownout.Refuses(identity, percent)).ToList();

    private static List<int> Indices(List<bool> outcomes, bool refused) =>
        outcomes.Select((r, i) => (r, i)).Where(x => x.r == refused).Select(x => x.i).ToList();
}
