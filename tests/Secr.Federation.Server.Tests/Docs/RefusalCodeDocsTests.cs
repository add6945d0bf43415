using Secr.Federation.Core.Admission;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Docs;

/// <summary>The one table of refusal codes in the code and the one in the documentation name the same codes.</summary>
public sealed class RefusalCodeDocsTests
{
    [Fact]
    public void Every_refusal_code_is_documented_where_callers_look_codes_up()
    {
        var tokenFormats = File.ReadAllText(Path.Combine(RepositoryRoot.Location, "docs", "token-formats.md"));

        var undocumented = RefusalCode.All.Where(code => !tokenFormats.Contains($"`{code.Value}`", StringComparison.Ordinal)).Select(code => code.Value).ToList();

        Assert.True(undocumented.Count == 0, $"docs/token-formats.md does not name {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void Every_code_has_one_style_and_every_renamed_code_has_its_deprecation_row()
    {
        var api = File.ReadAllText(Path.Combine(RepositoryRoot.Location, "docs", "api.md"));

        Assert.All(RefusalCode.All, code => Assert.Matches("^[a-z]+(_[a-z]+)*\\.[a-z]+(_[a-z]+)*$", code.Value));
        var renamed = RefusalCode.All.Where(code => code.Former is not null).ToList();
        Assert.Equal(20, renamed.Count);
        Assert.All(renamed, code => Assert.Contains($"| `{code.Former}` | `{code.Value}` |", api));
        Assert.All(renamed, code => Assert.Equal(code.Former, RefusalCode.FormerOf(code.Value)));
        Assert.Null(RefusalCode.FormerOf(RefusalCode.SubjectTokenReplayed.Value));
    }

    [Fact]
    public void Codes_are_unique_and_each_has_caller_text()
    {
        Assert.Equal(RefusalCode.All.Count, RefusalCode.All.Select(code => code.Value).Distinct(StringComparer.Ordinal).Count());
        Assert.All(RefusalCode.All, code => Assert.False(string.IsNullOrWhiteSpace(code.CallerText), code.Value));
        Assert.True(RefusalCode.All.Count >= 50, $"{RefusalCode.All.Count} codes: the table lost its members");
    }
}
