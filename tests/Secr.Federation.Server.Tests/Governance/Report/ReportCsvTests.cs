using Secr.Federation.Server.Governance.Report;

namespace Secr.Federation.Server.Tests.Governance.Report;

/// <summary>The CSV's fields: RFC 4180 quoting, and a value a spreadsheet would run as a formula made text.</summary>
public sealed class ReportCsvTests
{
    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=a,b", "\"'=a,b\"")]
    [InlineData("plain", "plain")]
    public void A_CSV_field_is_quoted_as_RFC_4180_says_and_a_formula_is_made_text(string value, string field) =>
        Assert.Equal(field, ReportCsv.Field(value));
}
