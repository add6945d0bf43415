using System.Text.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Core.Federation.Bindings;

namespace Secr.Federation.Data.Federation;

/// <summary>Binding conditions as stored: <c>[{"claim":"repository_id","op":"equals","values":["74"]}]</c>, values keeping their JSON types.</summary>
internal static class ConditionJson
{
    public static string Write(IReadOnlyList<BindingCondition> conditions) =>
        new JsonArray(conditions.Select(c => (JsonNode)new JsonObject
        {
            ["claim"] = c.Claim,
            ["op"] = c.Operator.ToText(),
            ["values"] = new JsonArray(c.Values.Select(ToNode).ToArray()),
        }).ToArray()).ToJsonString();

    public static IReadOnlyList<BindingCondition> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(c =>
        {
            ConditionOperatorText.TryParse(c.GetProperty("op").GetString(), out var op);
            var values = c.GetProperty("values").EnumerateArray().Select(v => ClaimValue.TryFrom(v, out var value) ? value : throw new FormatException("stored condition value")).ToList();
            return new BindingCondition(c.GetProperty("claim").GetString()!, op, values);
        }).ToList();
    }

    private static JsonNode? ToNode(ClaimValue value) => value.Kind switch
    {
        JsonValueKind.String => JsonValue.Create(value.Text),
        _ => JsonNode.Parse(value.Text),
    };
}
