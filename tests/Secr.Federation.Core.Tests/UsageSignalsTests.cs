using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Governance.Usage;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Tests;

/// <summary>The rules behind the reuse and human-use findings: what a request shows, and when the counts flag an identity.</summary>
public sealed class UsageSignalsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    // ---- a browser's user agent -----------------------------------------------------------------------------------

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko")]
    public void A_browser_is_recognised(string userAgent) => Assert.True(BrowserUserAgent.Matches(userAgent));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("curl/8.5.0")]
    [InlineData("Go-http-client/1.1")]
    [InlineData("node")]
    [InlineData("undici")]
    [InlineData("python-requests/2.32.3")]
    [InlineData("Python-urllib/3.12")]
    [InlineData("secr/1.0")]
    [InlineData("Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.22621.4391")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.0.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")]
    public void A_workload_client_or_automation_is_not_a_browser(string? userAgent) => Assert.False(BrowserUserAgent.Matches(userAgent));

    // ---- sources ----------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.0/24")]
    [InlineData("203.0.113.250", "203.0.113.0/24")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.0/24")]
    [InlineData("2001:db8:1:2::5", "2001:db8:1::/48")]
    [InlineData("2001:db8:1:ffff::1", "2001:db8:1::/48")]
    [InlineData(null, null)]
    [InlineData("not an address", null)]
    public void A_client_address_counts_as_its_network(string? ip, string? network) => Assert.Equal(network, UsageSources.NetworkOf(ip));

    [Theory]
    [InlineData("repo:octo-org/octo-repo:environment:prod", "octo-org/octo-repo")]
    [InlineData("repo:Octo-Org/Octo-Repo:ref:refs/heads/main", "octo-org/octo-repo")]
    [InlineData("repo:octo-org/octo-repo:pull_request", "octo-org/octo-repo")]
    [InlineData("repository_owner_id:65:repository_id:74:environment:prod", "74")]
    [InlineData("project_path:my-group/my-project:ref_type:branch:ref:main", "my-group/my-project")]
    [InlineData("system:serviceaccount:my-namespace:my-serviceaccount", null)]
    [InlineData("arn:aws:iam::123456789012:role/DataProcessingRole", null)]
    [InlineData("110987294251917851298", null)]
    [InlineData(null, null)]
    public void A_subject_names_its_repository_when_it_has_one(string? subject, string? repository) => Assert.Equal(repository, UsageSources.RepositoryOf(subject));

    [Fact]
    public void A_workflow_is_its_file_whichever_ref_ran_it()
    {
        var main = new Dictionary<string, string> { ["job_workflow_ref"] = "Octo-Org/octo-repo/.github/workflows/deploy.yml@refs/heads/main" };
        var branch = new Dictionary<string, string> { ["job_workflow_ref"] = "octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/feature" };

        Assert.Equal("octo-org/octo-repo/.github/workflows/deploy.yml", UsageSources.WorkflowOf(main));
        Assert.Equal(UsageSources.WorkflowOf(main), UsageSources.WorkflowOf(branch));
        Assert.Null(UsageSources.WorkflowOf(new Dictionary<string, string> { ["job_id"] = "302" }));
        Assert.Null(UsageSources.WorkflowOf(null));
    }

    // ---- sightings from audit records ------------------------------------------------------------------------------

    [Fact]
    public void A_workload_use_shows_its_network_repository_workflow_and_browser()
    {
        var use = Use("203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0") with
        {
            SourceSubject = "repo:octo-org/octo-repo:environment:prod",
            Lineage = new Dictionary<string, string> { ["job_workflow_ref"] = "octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main" },
        };

        var sightings = UsageSightings.Of([use], new HashSet<string>());

        Assert.Equal(
            [(UsageSources.Network, "203.0.113.0/24"), (UsageSources.Repository, "octo-org/octo-repo"), (UsageSources.Workflow, "octo-org/octo-repo/.github/workflows/deploy.yml"), (UsageSources.Browser, "203.0.113.0/24")],
            sightings.Select(s => (s.Kind, s.Value)));
        Assert.All(sightings, s => Assert.Equal((IdentityType.MachineToken, "mt_1", Now), (s.IdentityType, s.IdentityId, s.At)));
    }

    [Fact]
    public void A_use_from_an_address_a_person_used_before_is_a_sign_of_a_person_and_not_one_from_before_they_did()
    {
        var known = new HashSet<string>();

        var sightings = UsageSightings.Of([Use("198.51.100.9"), Person("::ffff:198.51.100.9"), Use("198.51.100.9"), Use("198.51.100.10")], known);

        Assert.Equal(["198.51.100.9"], known);
        Assert.Equal(
            [(UsageSightings.PersonType, "usr_1", "198.51.100.9")],
            sightings.Where(s => s.Kind == UsageSources.PersonAddress && s.IdentityType == UsageSightings.PersonType).Select(s => (s.IdentityType, s.IdentityId, s.Value)));
        Assert.Single(sightings, s => s.Kind == UsageSources.PersonAddress && s.IdentityType == IdentityType.MachineToken);
    }

    [Fact]
    public void A_loopback_address_is_nobody_s_and_refusals_revocations_and_jobs_are_not_uses()
    {
        var known = new HashSet<string>();

        var sightings = UsageSightings.Of(
        [
            Person("127.0.0.1"),
            Use("127.0.0.1"),
            Use("203.0.113.7") with { Outcome = AuditOutcome.Refused },
            Use("203.0.113.8") with { Action = AuditRecord.RevokeAction },
            AuditRecord.Of(Now, AuditRecord.AdminAction, AuditOutcome.Allowed, "audit.pruned", "audit retention: …", "background", "203.0.113.9") with { ActorType = ActorTypes.Job, ActorName = "audit retention" },
        ], known);

        Assert.Empty(known);
        Assert.Equal([(UsageSources.Network, "127.0.0.0/24")], sightings.Select(s => (s.Kind, s.Value)));
    }

    // ---- the findings and the grade --------------------------------------------------------------------------------

    [Fact]
    public void An_identity_is_reused_at_its_thresholds_and_not_below_them()
    {
        var grader = new PostureGrader(new PostureSettings());

        var below = grader.Grade(Clean() with { Usage = new UsageSignals(4, 2, 4, null, null) }, null, Now);
        var at = grader.Grade(Clean() with { Usage = new UsageSignals(5, 2, 6, null, null) }, null, Now);

        Assert.Equal('A', below.Grade);
        Assert.Empty(below.Findings);
        Assert.Equal('B', at.Grade);
        Assert.Equal(new Finding(FindingKind.Reused, Days: 30, Reuse: new ReuseCounts(5, null, 6)), Assert.Single(at.Findings));
        Assert.Equal("Reused: 5 networks, 6 workflows in 30 days", at.Summary);
    }

    [Fact]
    public void A_binding_is_not_reused_for_its_networks_but_for_its_repositories()
    {
        var grader = new PostureGrader(new PostureSettings());

        Assert.Empty(grader.Grade(CleanBinding() with { Usage = new UsageSignals(40, 1, 1, null, null) }, null, Now).Findings);
        Assert.Equal("Reused: 3 repositories in 30 days", grader.Grade(CleanBinding() with { Usage = new UsageSignals(40, 3, 1, null, null) }, null, Now).Summary);
    }

    [Fact]
    public void A_threshold_of_0_turns_its_check_off_and_the_window_names_the_days()
    {
        var grader = new PostureGrader(new PostureSettings { ReuseDistinctNetworks = 0, ReuseDistinctRepositories = 2, UsageWindow = TimeSpan.FromDays(7) });

        var posture = grader.Grade(Clean() with { Usage = new UsageSignals(400, 2, 0, null, null) }, null, Now);

        Assert.Equal("Reused: 2 repositories in 7 days", posture.Summary);
    }

    [Fact]
    public void A_browser_or_a_person_s_address_is_possible_human_use_unless_detection_is_off()
    {
        var signs = Clean() with { Usage = new UsageSignals(1, 0, 0, Now.AddDays(-1), Now.AddDays(-2)) };

        var posture = new PostureGrader(new PostureSettings()).Grade(signs, null, Now);

        Assert.Equal('B', posture.Grade);
        Assert.Equal(new Finding(FindingKind.HumanUse, HumanUse: HumanUseSigns.BrowserUserAgent | HumanUseSigns.PersonAddress), Assert.Single(posture.Findings));
        Assert.Equal("Possible human use: a browser user agent, from an admin's address", posture.Summary);
        Assert.Equal("Possible human use: from an admin's address", FindingText.Of(new Finding(FindingKind.HumanUse, HumanUse: HumanUseSigns.PersonAddress)));
        Assert.Empty(new PostureGrader(new PostureSettings { DetectHumanUse = false }).Grade(signs, null, Now).Findings);
    }

    [Fact]
    public void Reuse_and_human_use_count_one_failure_each_by_their_weights()
    {
        var both = Clean() with { Usage = new UsageSignals(9, 0, 0, Now, null) };

        Assert.Equal('C', new PostureGrader(new PostureSettings()).Grade(both, null, Now).Grade);
        Assert.Equal('A', new PostureGrader(new PostureSettings { Weights = new() { [PostureDimension.Reuse] = 0, [PostureDimension.HumanUse] = 0 } }).Grade(both, null, Now).Grade);
        Assert.Equal('D', new PostureGrader(new PostureSettings { Weights = new() { [PostureDimension.HumanUse] = 2 } }).Grade(both, null, Now).Grade);
    }

    [Theory]
    [InlineData(1, 3, 5, 30)]
    [InlineData(-1, 3, 5, 30)]
    [InlineData(5, 1, 5, 30)]
    [InlineData(5, 3, 1, 30)]
    [InlineData(5, 3, 5, 0)]
    [InlineData(5, 3, 5, 400)]
    public void Unusable_usage_settings_are_named(int networks, int repositories, int workflows, int windowDays)
    {
        var settings = new PostureSettings
        {
            ReuseDistinctNetworks = networks, ReuseDistinctRepositories = repositories, ReuseDistinctWorkflows = workflows, UsageWindow = TimeSpan.FromDays(windowDays),
        };

        Assert.Single(settings.Errors());
    }

    [Fact]
    public void The_defaults_and_0_for_off_are_usable() =>
        Assert.Empty(new PostureSettings { ReuseDistinctNetworks = 0, ReuseDistinctRepositories = 0, ReuseDistinctWorkflows = 0 }.Errors().Concat(new PostureSettings().Errors()));

    private static AuditRecord Use(string ip, string? userAgent = "curl/8.5.0") =>
        AuditRecord.Of(Now, "secrets:read", AuditOutcome.Allowed, "allowed", "allowed", "req-1", ip, userAgent) with
        {
            ActorType = IdentityType.MachineToken, ActorId = "mt_1", ActorName = "deploy", IdentityType = IdentityType.MachineToken, IdentityId = "mt_1", IdentityName = "deploy",
        };

    private static AuditRecord Person(string ip) =>
        AuditRecord.Of(Now, AuditRecord.AdminAction, AuditOutcome.Allowed, "admin.token_created", "ada@example.com: …", "req-2", ip) with
        {
            ActorType = ActorTypes.User, ActorId = "usr_1", ActorName = "ada@example.com",
        };

    private static NhiRecord Clean() => new()
    {
        Type = IdentityType.MachineToken, Id = "mt_1", Name = "deploy", State = IdentityStatus.Active, Status = "active", OwnerId = "usr_1", Owner = OwnerState.Active,
        Project = "payments", Environment = "prod", Permission = "read", CreatedAt = Now.AddDays(-20), LastRotatedAt = Now.AddDays(-20), LastUsedAt = Now.AddHours(-1),
        ExpiresAt = Now.AddDays(50), HasCredential = true, HasIpRestriction = true,
    };

    private static NhiRecord CleanBinding() => new()
    {
        Type = IdentityType.OidcBinding, Id = "bnd_1", Name = "github-deploy", State = IdentityStatus.Active, Status = "active", OwnerId = "usr_1", Owner = OwnerState.Active,
        Project = "payments", Environment = "prod", Permission = "read", CreatedAt = Now.AddDays(-20), LastUsedAt = Now.AddHours(-1), HasIpRestriction = true,
        MatchesClaims = true, PinsImmutableId = true, PinsBranchOrEnvironment = true,
    };
}
