using System.Text.Json;

namespace Secr.Federation.Core.Federation.SubjectTokens;

/// <summary>
/// A compact JWS split and decoded once. The validator and the binding matcher read this single parse, so they
/// can never disagree about a claim (jwt-attacks #10).
/// </summary>
public sealed class ParsedJwt(JsonElement header, JsonElement payload, byte[] signingInput, byte[] signature)
{
    public JsonElement Header { get; } = header;
    public JsonElement Payload { get; } = payload;
    public byte[] SigningInput { get; } = signingInput;
    public byte[] Signature { get; } = signature;

    public string? HeaderString(string name) =>
        Header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public string? ClaimString(string name) =>
        Payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
