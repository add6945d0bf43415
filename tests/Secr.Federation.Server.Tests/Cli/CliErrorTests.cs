using System.CommandLine;
using System.CommandLine.Completions;
using System.Text.Json.Nodes;
using Secr.Cli;
using Secr.Cli.Infrastructure;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Cli;

/// <summary>
/// The CLI never crashes and never misleads: files that are not there, commands that do not exist, logins that would
/// not work and typos each get one line that says what is wrong and what to do, never a stack trace.
/// </summary>
public sealed class CliErrorTests : GitHubCliTest
{

    /// <summary>Every option of every command that names a file to read, found by walking the real command tree.</summary>
    public static TheoryData<string> FileOptions() => new(FileOptionNames());

    private static IEnumerable<string> FileOptionNames() =>
        Walk(SecrCli.Build(NoContext()), []).Where(o => o.Option.Name.EndsWith("file", StringComparison.Ordinal)).Select(o => string.Join(' ', o.Path) + " " + o.Option.Name);

    [Fact]
    public void The_walk_finds_the_file_options_the_docs_name() =>
        Assert.Superset(
            new HashSet<string> { "oidc explain --token-file", "oidc explain --claims-file", "oidc issuer add --jwks-file", "oidc issuer set-jwks --jwks-file", "exchange --token-file", "audit verify --file" },
            FileOptionNames().ToHashSet());

    [Theory]
    [MemberData(nameof(FileOptions))]
    public async Task A_missing_or_unreadable_file_is_one_line_naming_the_option(string commandAndOption)
    {
        var words = commandAndOption.Split(' ');
        var (commandPath, optionName) = (words[..^1], words[^1]);
        var missing = Path.Combine(Cli.Folder, "no-such-file.json");
        var directory = Directory.CreateTempSubdirectory("secr-not-a-file-").FullName;

        foreach (var path in new[] { missing, directory })
        {
            var result = await Cli.Run(SecrServer.AdminToken, [.. ArgumentsFor(commandPath, optionName), optionName, path]);

            Assert.True(result.Exit is 1 or 2, $"{commandAndOption} {path}: exit {result.Exit}\n{result.Err}");
            AssertOneLine(result.Err);
            Assert.Contains(optionName, result.Err);
            Assert.Contains(path, result.Err);
        }
    }

    [Fact]
    public async Task Run_with_a_command_that_does_not_exist_says_so_in_one_line()
    {
        var machine = (string)(await Server.PostAdminAsync("/api/v1/tokens", new { name = "ci", environment = "prod", project = "payments", permission = "read" }))["token"]!;

        var result = await Cli.Run(machine, "run", "--project", "payments", "--env", "prod", "--", "/nonexistent");

        Assert.Equal(1, result.Exit);
        AssertOneLine(result.Err);
        Assert.Contains("'/nonexistent'", result.Err);
    }

    [Fact]
    public async Task Login_checks_the_token_prints_who_you_are_and_keeps_the_previous_login_when_the_new_one_fails()
    {
        var good = await Login(SecrServer.AdminToken);
        Assert.Equal(0, good.Exit);
        Assert.Contains("admin@localhost (admin)", good.Out);
        var saved = await File.ReadAllTextAsync(Cli.ConfigPath);

        var wrong = await Login("secr_pat_wrong");
        Assert.Equal(1, wrong.Exit);
        AssertOneLine(wrong.Err);
        Assert.Contains("previous login", wrong.Err);
        Assert.Equal(saved, await File.ReadAllTextAsync(Cli.ConfigPath));

        var empty = await Login("");
        Assert.Equal(2, empty.Exit);
        AssertOneLine(empty.Err);
        Assert.Equal(saved, await File.ReadAllTextAsync(Cli.ConfigPath));
        Assert.Equal(0, (await Cli.Invoke(["token", "list"], new Dictionary<string, string?>())).Exit);
    }

    [Fact]
    public async Task Run_with_an_admin_login_says_it_needs_a_workload_credential()
    {
        var result = await Cli.Run(SecrServer.AdminToken, "run", "--project", "payments", "--env", "prod", "--", "true");

        Assert.Equal(1, result.Exit);
        AssertOneLine(result.Err);
        Assert.Contains("workload credential", result.Err);
        Assert.Contains("secr token create", result.Err);
        Assert.Contains("secr exchange", result.Err);
    }

    [Fact]
    public async Task A_misspelt_project_or_environment_is_named_as_such_not_as_a_missing_secret()
    {
        await Server.PostAdminAsync("/api/v1/tokens", new { name = "unused", environment = "prod", project = "payments", permission = "read" });

        var project = await Cli.Run(SecrServer.AdminToken, "secrets", "get", "DB_URL", "--project", "payment", "--env", "prod");
        Assert.Equal(1, project.Exit);
        Assert.Contains("project 'payment' does not exist", project.Err);
        Assert.Contains("payments", project.Err);

        var environment = await Cli.Run(SecrServer.AdminToken, "secrets", "get", "DB_URL", "--project", "payments", "--env", "prdo");
        Assert.Equal(1, environment.Exit);
        Assert.Contains("project 'payments' has no environment 'prdo'", environment.Err);
        Assert.Contains("prod, staging", environment.Err);

        Assert.Contains("secret 'NOPE' does not exist", (await Cli.Run(SecrServer.AdminToken, "secrets", "get", "NOPE", "--project", "payments", "--env", "prod")).Err);
    }

    [Fact]
    public async Task Nhi_fix_for_a_name_nothing_has_says_no_identity_has_that_name()
    {
        var result = await Cli.Run(SecrServer.AdminToken, "nhi", "fix", "--identity", "nope");

        Assert.Equal(1, result.Exit);
        AssertOneLine(result.Err);
        Assert.Contains("no identity has the display name, name or id 'nope'", result.Err);
    }

    [Theory]
    [InlineData("audit", "--type", "token")]
    [InlineData("nhi", "posture", "--type", "token")]
    public async Task An_unknown_identity_type_is_refused_with_the_valid_ones(params string[] args)
    {
        var result = await Cli.Run(SecrServer.AdminToken, args);

        Assert.Equal(2, result.Exit);
        AssertOneLine(result.Err);
        Assert.Contains("'token'", result.Err);
        Assert.Contains("machine_token", result.Err);
        Assert.Contains("oidc_binding", result.Err);
    }

    [Fact]
    public async Task A_policy_for_an_environment_no_project_has_is_refused_with_the_known_ones()
    {
        var result = await Cli.Run(SecrServer.AdminToken, "nhi", "policies", "set", "max-lifetime.prdo=30d");

        Assert.Equal(1, result.Exit);
        Assert.Contains("prdo", result.Err);
        Assert.Contains("prod, staging", result.Err);
        Assert.Empty(JsonNode.Parse((await Cli.Run(SecrServer.AdminToken, "nhi", "policies", "--json")).Out)!["max_lifetime_days_by_environment"]!.AsObject());
        Assert.Equal(0, (await Cli.Run(SecrServer.AdminToken, "nhi", "policies", "set", "max-lifetime.prod=30d")).Exit);
    }

    [Fact]
    public async Task An_untrusted_issuer_and_a_wrong_audience_are_shown_whole_and_the_code_said_once()
    {
        var tenant = GitHub.Issuer.Issuer.TrimEnd('/') + "/tenants/a-long-organisation-name/";
        var untrusted = await Exchange(Claims("iss", tenant));
        Assert.Equal(1, untrusted.Exit);
        AssertOneLine(untrusted.Err);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(untrusted.Err, "subject_token.untrusted_issuer"));

        var audience = "http://localhost/an-audience-for-another-service-entirely/";
        Assert.Equal(1, (await Exchange(Claims("aud", audience))).Exit);

        var reasons = (await Server.AuditAsync("?outcome=refused")).Select(r => (string)r!["reason"]!).ToList();
        Assert.Contains(reasons, r => r.Contains($"'{tenant}'", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains($"\"{audience}\"", StringComparison.Ordinal));
    }

    private JsonObject Claims(string name, string value)
    {
        var claims = GitHub.Claims();
        claims[name] = value;
        return claims;
    }

    private async Task<CliResult> Exchange(JsonObject claims)
    {
        var file = Path.Combine(Cli.Folder, "job.jwt");
        await File.WriteAllTextAsync(file, GitHub.Token(claims));
        return await Cli.Run(null, "exchange", "--token-file", file);
    }

    private Task<CliResult> Login(string token) =>
        Cli.Invoke(["login", "--server", "http://localhost", "--token", token], new Dictionary<string, string?>());

    /// <summary>One line of error, and nothing of a .NET stack trace.</summary>
    private static void AssertOneLine(string error)
    {
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Exception", error);
    }

    /// <summary>The command's path, a value for each required argument and option (the first allowed value, when only some are).</summary>
    private static string[] ArgumentsFor(string[] commandPath, string fileOption)
    {
        Command command = SecrCli.Build(NoContext());
        foreach (var name in commandPath)
        {
            command = command.Subcommands.Single(c => c.Name == name);
        }

        var required = command.Options.Where(o => o.Required && o.Name != fileOption)
            .SelectMany(o => new[] { o.Name, o.GetCompletions(CompletionContext.Empty).FirstOrDefault()?.Label ?? "x" });
        var arguments = command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0).Select(_ => "x");
        return [.. commandPath, .. required, .. arguments];
    }

    private static IEnumerable<(string[] Path, Option Option)> Walk(Command command, string[] path)
    {
        foreach (var option in command.Options)
        {
            yield return (path, option);
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var found in Walk(sub, [.. path, sub.Name]))
            {
                yield return found;
            }
        }
    }

    private static CliContext NoContext() => new() { Output = TextWriter.Null, Error = TextWriter.Null, Environment = _ => null, ConfigPath = "/nonexistent/config.json" };

}
