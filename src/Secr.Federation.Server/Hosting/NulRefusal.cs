using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// U+0000 is not text. No name, filter, address or value the server takes contains one; PostgreSQL can neither store
/// nor compare it (a query carrying one fails as if the database were down); environment variables, where secret
/// values end up, cannot hold it. So it is refused where a request is read: in the query string by the edge, before
/// anything looks it up, and in JSON strings and property names by the JSON reader, which names the field. Both are
/// the client's 400. (Kestrel already refuses one in the path.)
/// </summary>
public static class NulRefusal
{
    private const string Rule = "a NUL character (U+0000), which is not text";

    public static IApplicationBuilder UseNulQueryRefusal(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        // Kestrel refuses a raw NUL in the request target, so only its escape can bring one: the query is parsed (to
        // name the parameter) only when its text has one, not on every request.
        if (http.Request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true
            && http.Request.Query.FirstOrDefault(p => p.Key.Contains('\0') || p.Value.Any(v => v?.Contains('\0') == true)) is { Key: { } name })
        {
            var parameter = name.Contains('\0') ? "A query parameter's name" : $"The query parameter '{name}'";
            await EdgeRefusal.WriteAsync(http, StatusCodes.Status400BadRequest, EdgeRefusal.MalformedCode, $"{parameter} contains {Rule}.", oauthError: "invalid_request");
            return;
        }

        await next(http);
    });

    /// <summary>Reads and writes strings as the default does, but refuses to read one, or a property name, containing a NUL.</summary>
    public sealed class StringConverter : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

        private static string Checked(string text) => text.Contains('\0') ? throw new JsonException($"The value contains {Rule}.") : text;
    }

    /// <summary>
    /// The OpenAPI document describes a value with a custom converter as "any JSON", and leaves out the items of a list
    /// of them: this gives strings back their type (and, for a nullable property, null beside it), as the built-in
    /// converter has them described.
    /// </summary>
    public static Task DescribeStringsAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo;
        if (type.Type == typeof(string))
        {
            schema.Type = context.JsonPropertyInfo is { IsSetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }
        else if (type.Kind == JsonTypeInfoKind.Enumerable && type.ElementType == typeof(string))
        {
            schema.Items ??= new OpenApiSchema { Type = JsonSchemaType.String };
        }
        else if (type.Kind == JsonTypeInfoKind.Dictionary && type.ElementType == typeof(string))
        {
            schema.AdditionalProperties ??= new OpenApiSchema { Type = JsonSchemaType.String };
        }

        return Task.CompletedTask;
    }
}
