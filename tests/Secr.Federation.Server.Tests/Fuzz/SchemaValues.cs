using System.Text.Json.Nodes;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>
/// JSON instances of an OpenAPI schema: a plausible one (the right types, values that look like what the field takes,
/// so a request gets past the binder to the rules), and ones with a value of a type the schema does not allow.
/// </summary>
public sealed class SchemaValues(JsonObject components, Random random)
{
    private const int MaxDepth = 6;

    /// <summary>Strings that look right for a property, by its name; other strings are short random names.</summary>
    private static readonly Dictionary<string, string[]> Lookalikes = new()
    {
        ["project"] = ["payments", "fuzz"],
        ["environment"] = ["prod", "staging"],
        ["environments"] = ["prod"],
        ["permission"] = ["read", "read_write"],
        ["issuer"] = ["ci"],
        ["url"] = ["https://issuer.example", "http://127.0.0.1:1/x"],
        ["preset"] = ["github", "generic", "kubernetes"],
        ["expires"] = ["1d", "30d"],
        ["ttl"] = ["15m", "1h"],
        ["clock_skew"] = ["30s"],
        ["allow_ips"] = ["10.0.0.0/8", "::1/128"],
        ["networks"] = ["192.0.2.0/24"],
        ["email"] = ["fuzz@example.com", FuzzTarget.MemberEmail],
        ["to"] = [FuzzTarget.MemberEmail],
        ["owner"] = [FuzzTarget.MemberEmail],
        ["role"] = ["member", "admin"],
        ["claim"] = ["repository_id", "ref"],
        ["op"] = ["equals", "glob"],
        ["values"] = ["74", "refs/heads/*"],
        ["allow"] = ["DATABASE_URL"],
        ["secret_allowlist"] = ["DATABASE_URL"],
        ["time_window"] = ["08:00-18:00"],
        ["token"] = ["secr_mt_prod_x"],
    };

    public JsonNode? Plausible(JsonNode? schema, string? property = null, int depth = 0)
    {
        schema = Resolve(schema);
        var types = Types(schema);
        if (depth > MaxDepth)
        {
            return null;
        }

        if (types.Contains("object") || schema?["properties"] is not null)
        {
            var result = new JsonObject();
            foreach (var (name, propertySchema) in schema?["properties"]?.AsObject() ?? [])
            {
                // Nullable optional fields are left out half the time, as clients do.
                if (Types(Resolve(propertySchema)).Contains("null") && random.Next(2) == 0)
                {
                    continue;
                }

                result[name] = Plausible(propertySchema, name, depth + 1);
            }

            return result;
        }

        if (types.Contains("array"))
        {
            var items = schema?["items"];
            return new JsonArray(Enumerable.Range(0, random.Next(1, 3)).Select(_ => Plausible(items, property, depth + 1)).ToArray());
        }

        if (types.Contains("boolean"))
        {
            return random.Next(2) == 0;
        }

        if (types.Contains("integer") || types.Contains("number"))
        {
            return random.Next(1, 100);
        }

        // A schema with no type (a free JSON value, e.g. a static JWKS): an empty object is the smallest plausible one.
        if (types.Count == 0 || (types.Count == 1 && types.Contains("null")))
        {
            return schema?["items"] is null && property is null ? new JsonObject() : Name();
        }

        return Lookalikes.TryGetValue(property ?? "", out var values) ? values[random.Next(values.Length)] : Name();
    }

    /// <summary>A plausible instance with one value, at a random place, replaced by one of a type the schema does not allow there.</summary>
    public (JsonNode? Body, string Where) WithWrongType(JsonNode? schema)
    {
        var body = Plausible(schema);
        if (body is not JsonObject root || root.Count == 0)
        {
            return (WrongTypeFor(schema), "$");
        }

        var (name, _) = root.ElementAt(random.Next(root.Count));
        var propertySchema = Resolve(schema)?["properties"]?[name];
        root[name] = WrongTypeFor(propertySchema);
        return (root, "$." + name);
    }

    /// <summary>A value the schema does not take: strings where numbers go, arrays where objects go, numbers that do not fit.</summary>
    public JsonNode? WrongTypeFor(JsonNode? schema)
    {
        var types = Types(Resolve(schema));
        JsonNode?[] candidates = types.Contains("integer") || types.Contains("number")
            ? [JsonValue.Create("twelve"), JsonValue.Create(1.5), JsonNode.Parse("1e400"), JsonNode.Parse("99999999999999999999"), JsonValue.Create(true), new JsonArray(1)]
            : types.Contains("boolean") ? [JsonValue.Create("true"), JsonValue.Create(1), new JsonObject()]
            : types.Contains("array") ? [new JsonObject { ["0"] = "a" }, JsonValue.Create("a,b"), JsonValue.Create(7)]
            : types.Contains("object") || types.Count == 0 ? [new JsonArray(), JsonValue.Create("{}"), JsonValue.Create(0)]
            : [JsonValue.Create(42), new JsonArray("a"), new JsonObject { ["value"] = "a" }, JsonValue.Create(false)];
        var pick = candidates[random.Next(candidates.Length)];

        // Null is a wrong type only where the schema does not allow it: only there is it a candidate.
        return !types.Contains("null") && random.Next(candidates.Length + 1) == 0 ? null : pick;
    }

    /// <summary>The names of the string properties of a schema's plausible instance, where a string payload can be planted.</summary>
    public static IEnumerable<string> StringProperties(JsonNode? body) =>
        body is JsonObject root ? root.Where(p => p.Value is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String).Select(p => p.Key) : [];

    private JsonNode? Resolve(JsonNode? schema)
    {
        for (var hops = 0; schema?["$ref"] is JsonValue reference && hops < 10; hops++)
        {
            schema = components[((string)reference!).Split('/')[^1]];
        }

        return schema;
    }

    private static HashSet<string> Types(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray many => many.Select(t => (string)t!).ToHashSet(),
        JsonValue one => [(string)one!],
        _ => [],
    };

    private string Name() => $"fuzz-{random.Next(1000, 10000)}";
}
