using System.Text.RegularExpressions;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Governance.Frameworks;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Docs;

/// <summary>The framework mapping in the code and the table in docs/policies.md are the same table.</summary>
public sealed partial class FrameworkMapDocsTests
{
    private static readonly Dictionary<string, (string Owasp, string Csf, string Tenet)> Documented = ReadTable();

    public static TheoryData<FindingKind> Findings() => new(Enum.GetValues<FindingKind>());

    [Theory]
    [MemberData(nameof(Findings))]
    public void Each_finding_has_its_row(FindingKind kind)
    {
        // The finding's words, with the numbers a finding fills in written as N, and every source or sign it can name.
        var words = FindingText.Of(new Finding(kind, Days: 0, Reuse: new(0, 0, 0), HumanUse: HumanUseSigns.BrowserUserAgent | HumanUseSigns.PersonAddress))
            .Replace(" 0 ", " N ", StringComparison.Ordinal);

        Assert.True(Documented.TryGetValue(words, out var row), $"docs/policies.md §5 has no row for '{words}'");
        Assert.Equal(Expected(FrameworkMap.For(kind)), row);
    }

    [Fact]
    public void Each_policy_has_its_row_and_the_table_has_nothing_else()
    {
        foreach (var (policy, reference) in FrameworkMap.Policies)
        {
            Assert.True(Documented.TryGetValue($"policy `{policy}`", out var row), $"docs/policies.md §5 has no row for policy {policy}");
            Assert.Equal(Expected(reference), row);
        }

        Assert.Equal(Enum.GetValues<FindingKind>().Length + FrameworkMap.Policies.Count, Documented.Count);
    }

    [Fact]
    public void The_risks_the_server_cannot_address_are_stated_with_why()
    {
        var policies = File.ReadAllText(Path.Combine(RepositoryRoot.Location, "docs", "policies.md"));

        Assert.All(OwaspNhiTop10.NotAddressed.Keys, id => Assert.Contains($"**{OwaspNhiTop10.Name(id)}.**", policies));
        Assert.Empty(OwaspNhiTop10.NotAddressed.Keys.Intersect(FrameworkMap.Covered));
    }

    private static (string, string, string) Expected(FrameworkReference reference) =>
        (reference.OwaspNhi is { } id ? OwaspNhiTop10.Name(id) : "—", reference.NistCsf, reference.ZeroTrustTenet.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Dictionary<string, (string, string, string)> ReadTable()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Location, "docs", "policies.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| finding or policy |", StringComparison.Ordinal));
        return lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(l => Row().Match(l))
            .ToDictionary(m => m.Groups[1].Value, m => (m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value));
    }

    [GeneratedRegex(@"^\| (.+?) \| (.+?) \| (.+?) \| (.+?) \|$")]
    private static partial Regex Row();
}
