using Secr.Federation.Core.Identities.Agents;

namespace Secr.Federation.Core.Tests;

public sealed class SecretAllowlistTests
{
    public static TheoryData<string[]> Refused() => new()
    {
        new[] { "*" },
        new[] { "**" },
        new[] { "***" },
        new[] { "STRIPE_KEY", "*" },
        new[] { "" },
        new[] { "STRIPE KEY" },
        new[] { " STRIPE_KEY" },
        new[] { "STRIPE_KEY " },
        new[] { "STRIPE_\tKEY" },
        new[] { "STRIPE_\u00a0KEY" },
        new[] { " " },
        new[] { "STRIPE_\nKEY" },
        new[] { "DATABASE_URL", new string('A', 257) },
    };

    public static TheoryData<string[]> Accepted() => new()
    {
        new[] { "DATABASE_URL" },
        new[] { "STRIPE_*" },
        new[] { "STRIPE_*", "DATABASE_URL", "*_TOKEN" },
        new[] { new string('A', 256) },
    };

    [Fact]
    public void Null_is_refused()
    {
        Assert.NotNull(SecretAllowlist.Validate(null));
    }

    [Fact]
    public void Empty_is_refused()
    {
        Assert.NotNull(SecretAllowlist.Validate([]));
    }

    [Fact]
    public void More_than_256_entries_are_refused()
    {
        var entries = Enumerable.Range(0, SecretAllowlist.MaxEntries + 1).Select(i => $"KEY_{i}").ToList();

        Assert.NotNull(SecretAllowlist.Validate(entries));
        Assert.Null(SecretAllowlist.Validate(entries.Take(SecretAllowlist.MaxEntries).ToList()));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refuses_patterns_that_allow_everything_or_contain_whitespace(string[] allowlist)
    {
        Assert.NotNull(SecretAllowlist.Validate(allowlist));
    }

    [Fact]
    public void A_star_only_entry_is_refused_with_a_reason_naming_it()
    {
        Assert.Contains("'*'", SecretAllowlist.Validate(["*"]));
        Assert.Contains("'*'", SecretAllowlist.Validate(["**"]));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Accepts_keys_and_star_patterns(string[] allowlist)
    {
        Assert.Null(SecretAllowlist.Validate(allowlist));
    }

    [Fact]
    public void Allows_exact_keys()
    {
        string[] allowlist = ["DATABASE_URL", "REDIS_URL"];

        Assert.True(SecretAllowlist.Allows(allowlist, "DATABASE_URL"));
        Assert.True(SecretAllowlist.Allows(allowlist, "REDIS_URL"));
        Assert.False(SecretAllowlist.Allows(allowlist, "DATABASE_URL_RO"));
        Assert.False(SecretAllowlist.Allows(allowlist, "database_url"));
        Assert.False(SecretAllowlist.Allows(allowlist, "STRIPE_KEY"));
    }

    [Fact]
    public void Allows_glob_patterns_anchored_at_both_ends()
    {
        string[] allowlist = ["STRIPE_*", "*_PUBLIC"];

        Assert.True(SecretAllowlist.Allows(allowlist, "STRIPE_KEY"));
        Assert.True(SecretAllowlist.Allows(allowlist, "STRIPE_"));
        Assert.True(SecretAllowlist.Allows(allowlist, "MAPS_PUBLIC"));
        Assert.False(SecretAllowlist.Allows(allowlist, "XSTRIPE_KEY"));
        Assert.False(SecretAllowlist.Allows(allowlist, "stripe_key"));
        Assert.False(SecretAllowlist.Allows(allowlist, "MAPS_PUBLIC_KEY"));
    }

    [Fact]
    public void An_empty_allowlist_allows_nothing()
    {
        Assert.False(SecretAllowlist.Allows([], "DATABASE_URL"));
    }

    [Fact]
    public void Everything_is_allowed_only_when_acknowledged_and_then_nothing_else_may_be_listed()
    {
        Assert.Contains("allow_all_secrets", SecretAllowlist.Validate(["*"]));
        Assert.Contains("allow_all_secrets", SecretAllowlist.Validate(["DB_URL", "**"]));
        Assert.Null(SecretAllowlist.Validate(null, allowAll: true));
        Assert.Null(SecretAllowlist.Validate(SecretAllowlist.Everything, allowAll: true));
        Assert.Contains("leave allow out", SecretAllowlist.Validate(["DB_URL"], allowAll: true));
        Assert.True(SecretAllowlist.AdmitsEverything(SecretAllowlist.Everything));
        Assert.True(SecretAllowlist.Allows(SecretAllowlist.Everything, "ANY_KEY"));
        Assert.False(SecretAllowlist.AdmitsEverything(["STRIPE_*"]));
    }
}
