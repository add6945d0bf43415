namespace Secr.Federation.Core.Common;

/// <summary>How an error or a help text lists the values it accepts, the way people write them: <c>a, b or c</c>.</summary>
public static class Choices
{
    public static string Listed(IReadOnlyList<string> values) =>
        values.Count <= 1 ? string.Concat(values) : $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";
}
