using System.Globalization;
using System.Text.Json;

namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>
/// A value a condition compares against. Comparison is type-strict and ordinal: a string never equals a number,
/// "74" never equals 74, and no case folding or Unicode normalization is applied (jwt-attacks #11, #20).
/// </summary>
public readonly record struct ClaimValue(JsonValueKind Kind, string Text)
{
    public static ClaimValue String(string text) => new(JsonValueKind.String, text);

    public static bool TryFrom(JsonElement element, out ClaimValue value)
    {
        value = element.ValueKind switch
        {
            JsonValueKind.String => new ClaimValue(JsonValueKind.String, element.GetString()!),
            JsonValueKind.Number => new ClaimValue(JsonValueKind.Number, element.GetRawText()),
            JsonValueKind.True or JsonValueKind.False => new ClaimValue(JsonValueKind.True, element.GetBoolean() ? "true" : "false"),
            _ => default,
        };
        return value.Kind != JsonValueKind.Undefined;
    }

    public bool Matches(JsonElement claim) => Kind switch
    {
        JsonValueKind.String => claim.ValueKind == JsonValueKind.String && string.Equals(claim.GetString(), Text, StringComparison.Ordinal),
        JsonValueKind.Number => claim.ValueKind == JsonValueKind.Number && SameNumber(claim, Text),
        JsonValueKind.True => claim.ValueKind is JsonValueKind.True or JsonValueKind.False && claim.GetBoolean() == (Text == "true"),
        _ => false,
    };

    public override string ToString() => Kind == JsonValueKind.String ? JsonSerializer.Serialize(Text) : Text;

    private static bool SameNumber(JsonElement claim, string text) =>
        claim.TryGetDecimal(out var actual) &&
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected) &&
        actual == expected;
}
