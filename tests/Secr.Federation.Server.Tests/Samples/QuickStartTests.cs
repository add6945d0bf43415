using System.Text.RegularExpressions;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// The README's quick start, run as written: its shell blocks become one bash script (<c>set -euxo pipefail</c>, so
/// every line must succeed), against a fresh data directory, a free port and a fresh home for the installed tool.
/// Three substitutions keep it fast and isolated, and nothing else is changed: the server is this build's own output
/// (<c>dotnet Secr.Federation.Server.dll</c>, which is what <c>dotnet run</c> starts) instead of a second
/// build, the CLI is packed from this build (<c>--no-build</c>), and the paths and port are the test's own.
/// </summary>
public sealed partial class QuickStartTests
{
    [Fact]
    public async Task The_readme_quick_start_runs_line_by_line_against_a_fresh_data_directory()
    {
        var (home, data, packages) = (Shell.TempDirectory(), Shell.TempDirectory(), Shell.TempDirectory());
        var port = ServerProcess.FreePort();
        var tests = new DirectoryInfo(AppContext.BaseDirectory);
        var (framework, configuration) = (tests.Name, tests.Parent!.Name);
        var server = Path.Combine(RepositoryRoot.Location, "src", "Secr.Federation.Server", "bin", configuration, framework, "Secr.Federation.Server.dll");
        var script = string.Join('\n', QuickStartBlocks())
            .Replace("dotnet run --project src/Secr.Federation.Server --", $"dotnet '{server}'", StringComparison.Ordinal)
            .Replace("dotnet pack src/Secr.Cli", $"dotnet pack src/Secr.Cli --no-build -c {configuration}", StringComparison.Ordinal)
            .Replace("artifacts/cli", packages, StringComparison.Ordinal)
            .Replace("src/Secr.Federation.Server/data", data, StringComparison.Ordinal)
            .Replace("localhost:8080", $"localhost:{port}", StringComparison.Ordinal);
        var file = Path.Combine(home, "quick-start.sh");
        // The background server ends with the script, whatever happens.
        await File.WriteAllTextAsync(file, "set -euxo pipefail\ntrap 'kill $(jobs -p) 2> /dev/null' EXIT\n" + script + "\n");

        var result = await Shell.RunAsync(["bash", file], new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            ["NUGET_PACKAGES"] = Path.Combine(home, ".nuget", "packages"),
            ["PATH"] = $"{Path.Combine(home, ".dotnet", "tools")}:{Environment.GetEnvironmentVariable("PATH")}",
            ["Secr__DataDirectory"] = data,
            ["DOTNET_ROOT"] = Path.GetDirectoryName(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")) ?? "/usr/share/dotnet",
            ["Logging__LogLevel__Default"] = "Warning",
        }, workingDirectory: RepositoryRoot.Location);

        Assert.True(result.Exit == 0, $"exit {result.Exit}\n{result.All}");
        Assert.Contains("as admin@localhost (admin)", result.Out);
        Assert.EndsWith("postgres://app@db/payments", result.Out.TrimEnd());
    }

    [Fact]
    public void The_readme_still_has_two_commands_to_start_and_test() =>
        Assert.Equal(["dotnet run --project src/Secr.Federation.Server -- --urls http://localhost:8080", "./test.sh"],
            Blocks(Section("The two commands")).Select(b => b.Trim()).Take(2));

    /// <summary>The quick start's shell blocks, in order.</summary>
    private static IEnumerable<string> QuickStartBlocks() => Blocks(Section("Quick start"));

    private static string Section(string heading)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Location, "README.md"));
        var start = readme.IndexOf("\n## " + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '## {heading}' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    private static IEnumerable<string> Blocks(string section) => ShellBlock().Matches(section).Select(m => m.Groups[1].Value);

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
