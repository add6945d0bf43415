using System.Text.RegularExpressions;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>What a sample may print: secret and token values only inside GitHub's <c>::add-mask::</c> commands.</summary>
public static partial class Leaks
{
    public static void AssertNoneOutsideMasks(ShellResult result, IEnumerable<string> values)
    {
        var printed = result.All.Split('\n').Where(line => !line.StartsWith("::add-mask::", StringComparison.Ordinal)).ToList();
        // A multi-line value could leak one line at a time: each of its lines counts (short ones like "}" aside).
        var fragments = values.SelectMany(value => value.Split('\n').Append(value)).Select(f => f.Trim()).Where(f => f.Length >= 8).Distinct();
        foreach (var fragment in fragments)
        {
            Assert.DoesNotContain(printed, line => line.Contains(fragment, StringComparison.Ordinal));
        }

        // No JWT at all (job tokens, access tokens), whatever the test knows of them.
        Assert.DoesNotContain(printed, line => JwtShape().IsMatch(line));
    }

    [GeneratedRegex(@"eyJ[\w-]+\.eyJ[\w-]+")]
    private static partial Regex JwtShape();
}
