namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>
/// Anchored, segment-aware glob. Values split into segments on '/' and ':'; a pattern segment is either literal
/// or exactly <c>*</c>, which matches one whole non-empty segment. A '*' inside a segment (<c>repo*</c>) is refused
/// at configuration time: it is how <c>repo:org/repo*</c> ends up trusting <c>repo:org/repo-evil</c> (jwt-attacks #21).
/// </summary>
public static class SegmentGlob
{
    private static readonly char[] Separators = ['/', ':'];

    public static bool IsValidPattern(string pattern, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(pattern))
        {
            error = "a glob may not be empty";
            return false;
        }

        foreach (var segment in pattern.Split(Separators))
        {
            if (segment.Contains('*') && segment != "*")
            {
                error = $"'*' must be a whole segment between '/' or ':' (found '{segment}')";
                return false;
            }
        }

        return true;
    }

    public static bool IsMatch(string pattern, string value)
    {
        // Walk both strings segment by segment; separators must coincide exactly, position for position.
        int p = 0, v = 0;
        while (true)
        {
            var pEnd = pattern.IndexOfAny(Separators, p);
            var vEnd = value.IndexOfAny(Separators, v);
            var pSegment = pattern.AsSpan(p, (pEnd < 0 ? pattern.Length : pEnd) - p);
            var vSegment = value.AsSpan(v, (vEnd < 0 ? value.Length : vEnd) - v);

            var segmentMatches = pSegment is "*" ? !vSegment.IsEmpty : pSegment.SequenceEqual(vSegment);
            if (!segmentMatches)
            {
                return false;
            }

            if (pEnd < 0 || vEnd < 0)
            {
                return pEnd < 0 && vEnd < 0;
            }

            if (pattern[pEnd] != value[vEnd])
            {
                return false;
            }

            p = pEnd + 1;
            v = vEnd + 1;
        }
    }
}
