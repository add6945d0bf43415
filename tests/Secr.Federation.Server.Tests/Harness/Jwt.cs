using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>Reads an issued token's header and payload (no validation: the tests that validate use Microsoft.IdentityModel).</summary>
public static class Jwt
{
    public static JsonObject Header(string token) => Part(token, 0);

    public static JsonObject Payload(string token) => Part(token, 1);

    private static JsonObject Part(string token, int index) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[index])))!.AsObject();
}
