using System.Text.Json;

namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>
/// Where a claim lives in a token: a top-level name (<c>repository_id</c>, even one containing '/' such as AWS's
/// <c>https://sts.amazonaws.com/</c>) or an RFC 6901 JSON Pointer for nested claims (<c>/kubernetes.io/namespace</c>).
/// </summary>
public sealed class ClaimPath : IEquatable<ClaimPath>
{
    private const int MaxLength = 256;
    private const int MaxDepth = 8;

    private ClaimPath(string text, IReadOnlyList<string> segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The canonical JSON Pointer form.</summary>
    public string Text { get; }

    public IReadOnlyList<string> Segments { get; }

    public static bool TryParse(string? text, out ClaimPath? path, out string? error)
    {
        path = null;
        error = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || text.Any(char.IsControl))
        {
            error = $"a claim is a name or a JSON Pointer of at most {MaxLength} printable characters";
            return false;
        }

        if (text[0] != '/')
        {
            path = new ClaimPath("/" + Escape(text), [text]);
            return true;
        }

        var segments = new List<string>();
        foreach (var raw in text[1..].Split('/'))
        {
            // RFC 6901 §4: '~1' is '/', '~0' is '~', and any other '~' sequence is an error.
            for (var i = raw.IndexOf('~'); i >= 0; i = raw.IndexOf('~', i + 1))
            {
                if (i + 1 >= raw.Length || raw[i + 1] is not ('0' or '1'))
                {
                    error = "a JSON Pointer may only use '~0' and '~1' escapes (RFC 6901)";
                    return false;
                }
            }

            if (raw.Length == 0)
            {
                error = "a JSON Pointer segment may not be empty";
                return false;
            }

            segments.Add(raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        if (segments.Count > MaxDepth)
        {
            error = $"a JSON Pointer may be at most {MaxDepth} levels deep";
            return false;
        }

        path = new ClaimPath("/" + string.Join('/', segments.Select(Escape)), segments);
        return true;
    }

    public static ClaimPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path! : throw new FormatException(error);

    /// <summary>The claim's value, or null when it is absent. Only objects are walked: arrays are never indexed.</summary>
    public JsonElement? Resolve(JsonElement claims)
    {
        var current = claims;
        foreach (var segment in Segments)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    public bool Equals(ClaimPath? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ClaimPath);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public override string ToString() => Text;

    private static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
