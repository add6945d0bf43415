using System.Globalization;
using System.Text;

namespace Secr.Federation.Core.Common;

/// <summary>
/// The rule for an identity's display name ("Vercel deploy"): what people read in posture, fixes, the console and the
/// audit, beside the slug (<see cref="Names"/>) that stays the stable key. Any printable text, so it says what the
/// identity is for; never a control or formatting character, which could forge lines in a terminal or a log, or reorder
/// what a reader sees (a bidirectional override).
/// </summary>
public static class DisplayNames
{
    public const int MaxLength = 100;

    public const string Rule = "1-100 printable characters (no control or formatting characters, no leading or trailing spaces)";

    /// <summary>Why <paramref name="text"/> cannot be a display name, or null when it can (null itself means "none").</summary>
    public static string? Error(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var printable = text.Length is > 0 and <= MaxLength && text.Trim().Length == text.Length &&
            text.EnumerateRunes().All(r => Rune.GetUnicodeCategory(r) is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator));
        return printable ? null : $"must be {Rule}";
    }

    /// <summary>What people are shown: the display name, or the slug when there is none.</summary>
    public static string Label(string? displayName, string name) => displayName ?? name;
}
