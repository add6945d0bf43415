using System.Text.RegularExpressions;

namespace Secr.Federation.Server.Tests.Governance.Report;

/// <summary>Checks on a report file: self-contained (no script, nothing it could fetch), and a minimal RFC 4180 reader.</summary>
public static partial class ReportFiles
{
    public static void AssertSelfContained(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(LoadingAttribute(), html);
        Assert.Contains("<style>", html);
    }

    public static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    [GeneratedRegex(@"(?i)(https?:)?//[a-z0-9]")]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"(?i)\s(src|href|srcset|action|data)\s*=")]
    private static partial Regex LoadingAttribute();
}

/// <summary>RFC 4180 as a spreadsheet reads it: CRLF records, quoted fields with doubled quotes and line breaks inside.</summary>
public static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                Assert.False(c is '"' or '\n' or '\r', $"'{c}' outside quotes at {i}");
                field.Append(c);
            }
        }

        Assert.True(row.Count == 0 && field.Length == 0 && !quoted, "the CSV does not end with CRLF");
        return rows;
    }
}
