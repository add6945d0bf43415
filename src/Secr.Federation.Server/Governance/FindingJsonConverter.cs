using System.Text.Json;
using System.Text.Json.Serialization;
using Secr.Federation.Core.Governance;

namespace Secr.Federation.Server.Governance;

/// <summary>Writes a finding as its words (<see cref="FindingText"/>), as the API sent findings before they were typed. Findings are only ever sent, never read.</summary>
public sealed class FindingJsonConverter : JsonConverter<Finding>
{
    public override Finding Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new JsonException("a finding is not accepted as input");

    public override void Write(Utf8JsonWriter writer, Finding value, JsonSerializerOptions options) => writer.WriteStringValue(FindingText.Of(value));
}
