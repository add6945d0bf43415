using System.Text;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.TokenEndpoint;

namespace Secr.Federation.Server.Tests.Fuzz;

public sealed record FuzzBody(byte[] Bytes, string? ContentType)
{
    public static FuzzBody Json(string text) => new(Encoding.UTF8.GetBytes(text), "application/json");

    public static FuzzBody Form(string text) => new(Encoding.UTF8.GetBytes(text), "application/x-www-form-urlencoded");
}

/// <summary>One request: what kind of garbage it carries, its method and raw target (percent-encoded as sent), its body, and the status the kind alone decides.</summary>
public sealed record FuzzCase(string Kind, string Method, string Target, FuzzBody? Body = null, int? ExpectedStatus = null);

/// <summary>
/// The garbage for one route: one request of each kind (path segments that are encoded slashes, dot segments,
/// over-long names, NULs and invalid UTF-8; query values of the wrong type, NULs, invalid UTF-8, over-long; bodies that
/// are of the wrong type per the OpenAPI schema, malformed, carry NULs or invalid UTF-8, are huge or deeply nested, or
/// are not JSON at all), each kind's variant drawn from the seeded <paramref name="random"/>.
/// </summary>
public sealed class GarbageInputs(FuzzRoute route, IReadOnlyDictionary<string, string[]> existing, SchemaValues values, Random random)
{
    private static readonly (string Kind, string[] Segments)[] PathSegments =
    [
        ("encoded slash", ["a%2Fb", "%2F", "..%5C..%5Cusers", "a%252Fb"]),
        ("dot segments", [".", "..", "%2E%2E", "..%2F..%2Fusers", "%2E", ""]),
        ("over-long name", [new string('a', 300), new string('n', 5000)]),
        ("NUL", ["%00", "prod%00x"]),
        ("invalid UTF-8", ["%FF%FE", "%C0%AF", "%ED%A0%80", "%01%1B%7F", "%C3%A9t%C3%A9%E2%80%AE"]),
    ];

    private static readonly (string Kind, string[] Values)[] QueryValues =
    [
        ("NUL", ["%00", "a%00b"]),
        ("invalid UTF-8", ["%FF%FE", "%C0%AF", "%ED%A0%80"]),
        ("over-long", [new string('x', 8000), "1&{0}=2", ""]),
    ];

    private static readonly string[] MalformedJson = ["{\"name\":", "{'name':'a'}", "{\"a\":1,}", "{\"a\":NaN}", "{\"a\" 1}", "{\"a\":1}}", "[1,2", "\"unterminated", "{\"a\":01}", "/* */{}", "\u00ef\u00bb\u00bf{}"];

    /// <summary>The route's cases; every one of them is sent by every caller.</summary>
    public IEnumerable<FuzzCase> Cases(IReadOnlySet<string> methodsOnThisPath)
    {
        yield return Case("plausible", Target(), route.Family == RouteFamily.Console ? PlausibleForm() : PlausibleJson());
        foreach (var (kind, segments) in PathSegments)
        {
            var segment = Pick(segments);
            yield return Case($"path: {kind} ({Shorten(segment)})", Target(segment));
        }

        foreach (var @case in QueryCases())
        {
            yield return @case;
        }

        foreach (var @case in route.Family == RouteFamily.Console ? FormBodies() : JsonBodies())
        {
            yield return @case;
        }

        // One method the path does not serve: a 405 is a refusal like any other.
        if (new[] { "PATCH", "PUT", "DELETE", "POST" }.FirstOrDefault(m => !methodsOnThisPath.Contains(m)) is { } other)
        {
            yield return new FuzzCase("unsupported method", other, Target());
        }
    }

    private IEnumerable<FuzzCase> QueryCases()
    {
        if (route.Query.Count == 0)
        {
            yield return Case("query: junk", WithQuery("%00", "%FF&%C0%AF=1&a[]=1&="));
            yield break;
        }

        var typed = route.Query[random.Next(route.Query.Count)];
        var wrong = WrongQueryValue(typed.Schema);
        yield return Case($"query {typed.Name}: wrong type ({wrong})", WithQuery(typed.Name, wrong));
        foreach (var (kind, variants) in QueryValues)
        {
            var parameter = route.Query[random.Next(route.Query.Count)].Name;
            var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(variants), parameter);
            yield return Case($"query {parameter}: {kind} ({Shorten(value)})", WithQuery(parameter, value));
        }
    }

    private IEnumerable<FuzzCase> JsonBodies()
    {
        var plausible = values.Plausible(route.BodySchema)?.ToJsonString() ?? "{}";
        var limit = route.Family == RouteFamily.OAuth ? TokenRequestSizeLimit.MaxBodyBytes : ApiRequestSizeLimit.MaxBodyBytes;
        yield return random.Next(3) switch
        {
            0 => Case("body: huge (over the size limit)", Target(), FuzzBody.Json(PlantInValue(plausible, "\"" + new string('x', (int)limit) + "\""))) with
            {
                ExpectedStatus = route.Family == RouteFamily.Api ? 413 : null,
            },
            1 => Case("body: huge (a 200 KiB string)", Target(), FuzzBody.Json(PlantInValue(plausible, "\"" + new string('x', 200 * 1024) + "\""))),
            _ => Case("body: huge (100,000 elements)", Target(), FuzzBody.Json(PlantInValue(plausible, "[" + string.Join(",", Enumerable.Repeat("\"a\"", 100_000)) + "]"))),
        };
        yield return Case("body: malformed JSON", Target(), FuzzBody.Json(random.Next(2) == 0 ? plausible[..random.Next(1, plausible.Length)] : Pick(MalformedJson)));

        // A body on a route that takes none is ignored; only its size and shape at the edge matter.
        if (route.BodySchema is null && route.Method is "GET" or "DELETE")
        {
            yield break;
        }

        var wrongType = values.WithWrongType(route.BodySchema);
        yield return random.Next(3) switch
        {
            0 => Case($"body: wrong type at {wrongType.Where}", Target(), FuzzBody.Json(wrongType.Body?.ToJsonString() ?? "null")),
            1 => Case("body: wrong root type", Target(), FuzzBody.Json(Pick(["[]", "\"text\"", "42", "null", "true", "[{}]"]))),
            _ => Case("body: wrong type (unknown and duplicate fields)", Target(), FuzzBody.Json(DuplicateAndUnknown(plausible))),
        };
        yield return random.Next(2) == 0
            ? Case("body: NUL (escaped in a string)", Target(), FuzzBody.Json(PlantInValue(plausible, "\"a\\u0000b\"")))
            : Case("body: NUL (a raw byte)", Target(), new FuzzBody(PlantBytes(plausible, [0x00]), "application/json"));
        yield return random.Next(4) == 0
            ? Case("body: invalid UTF-8 (a lone surrogate escape)", Target(), FuzzBody.Json(PlantInValue(plausible, "\"\\ud800\"")))
            : Case("body: invalid UTF-8 (raw bytes)", Target(), new FuzzBody(PlantBytes(plausible, Pick<byte[]>([[0xFF, 0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80]])), "application/json"));
        yield return Case("body: deeply nested", Target(), FuzzBody.Json(PlantInValue(plausible, random.Next(2) == 0
            ? new string('[', 5000) + new string(']', 5000)
            : string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000))));
        yield return random.Next(4) switch
        {
            0 => Case("body: not JSON (text/plain)", Target(), new FuzzBody(Encoding.UTF8.GetBytes(plausible), "text/plain")),
            1 => Case("body: not JSON (a form)", Target(), FuzzBody.Form("name=a&environment=prod")),
            2 => Case("body: not JSON (no content type)", Target(), new FuzzBody(Encoding.UTF8.GetBytes(plausible), null)),
            _ => Case("body: not JSON (empty)", Target(), FuzzBody.Json("")),
        };
    }

    private IEnumerable<FuzzCase> FormBodies()
    {
        if (route.Method != "POST")
        {
            yield break;
        }

        var field = route.FormFields.Count == 0 ? "value" : Pick(route.FormFields.ToArray());
        yield return random.Next(2) == 0
            ? Case($"form {field}: NUL (escaped)", Target(), FuzzBody.Form($"{field}=a%00b"))
            : Case("form: NUL (a raw byte)", Target(), new FuzzBody([.. Encoding.ASCII.GetBytes(field + "=a"), 0x00, .. "b"u8], "application/x-www-form-urlencoded"));
        yield return random.Next(2) == 0
            ? Case($"form {field}: invalid UTF-8 (escaped)", Target(), FuzzBody.Form($"{field}=%FF%FE"))
            : Case("form: invalid UTF-8 (raw bytes)", Target(), new FuzzBody([.. Encoding.ASCII.GetBytes(field + "=a"), 0xFF, 0xC0, 0xAF], "application/x-www-form-urlencoded"));
        yield return Case("form: malformed encoding", Target(), FuzzBody.Form("%ZZ=%&&&==&" + field + "=%"));
        yield return random.Next(3) switch
        {
            0 => Case($"form {field}: huge (a 2 MiB value)", Target(), FuzzBody.Form($"{field}=" + new string('x', 2 * 1024 * 1024))),
            1 => Case("form: huge (5,000 fields)", Target(), FuzzBody.Form(string.Join("&", Enumerable.Range(0, 5000).Select(i => $"{field}={i}")))),
            _ => Case("form: huge (a 5,000-character field name)", Target(), FuzzBody.Form(new string('k', 5000) + "=v")),
        };
        yield return random.Next(2) == 0
            ? Case("form: not a form (JSON)", Target(), FuzzBody.Json("{\"" + field + "\":[1,{}]}"))
            : Case("form: not a form (multipart garbage)", Target(), new FuzzBody(Encoding.ASCII.GetBytes("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\0\r\n--"), "multipart/form-data; boundary=x"));
    }

    private FuzzBody? PlausibleJson() => route.BodySchema is null && route.Method is "GET" or "DELETE" ? null : FuzzBody.Json(values.Plausible(route.BodySchema)?.ToJsonString() ?? "{}");

    private FuzzBody? PlausibleForm() =>
        route.Method != "POST" ? null : FuzzBody.Form(string.Join("&", route.FormFields.Select(f => $"{Uri.EscapeDataString(f)}=fuzz-{random.Next(1000, 10000)}")));

    private FuzzCase Case(string kind, string target, FuzzBody? body = null) => new(kind, route.Method, target, body);

    /// <summary>The route's path with existing values in its parameters, one of them (chosen at random) replaced by <paramref name="garbage"/>.</summary>
    private string Target(string? garbage = null)
    {
        var replaced = garbage is null || route.PathParameters.Count == 0 ? null : route.PathParameters[random.Next(route.PathParameters.Count)];
        var path = route.Template;
        foreach (var parameter in route.PathParameters)
        {
            var value = parameter == replaced ? garbage! : Uri.EscapeDataString(Pick(existing.TryGetValue(parameter, out var known) ? known : ["fuzz"]));
            path = path.Replace($"{{{parameter}}}", value, StringComparison.Ordinal);
        }

        // A route without parameters gets the garbage as one more segment.
        path = garbage is not null && replaced is null ? path.TrimEnd('/') + "/" + garbage : path;
        // A console page's named handler is picked by the query; its unnamed one by none.
        var named = route.PageHandlers.Where(h => h.Length > 0).ToArray();
        return named.Length == 0 || route.PageHandlers.Contains("") && random.Next(2) == 0 ? path : $"{path}?handler={Pick(named)}";
    }

    private string WithQuery(string name, string value)
    {
        var target = Target();
        return target + (target.Contains('?') ? "&" : "?") + $"{name}={value}";
    }

    private string WrongQueryValue(JsonNode? schema)
    {
        var text = schema?.ToJsonString() ?? "";
        return text.Contains("integer") ? Pick(["twelve", "1.5", "99999999999999999999", "-1", "0x10"])
            : text.Contains("boolean") ? Pick(["maybe", "2"])
            : text.Contains("date-time") ? Pick(["2026-13-45T25:61:00Z", "yesterday", "-99999-01-01"])
            : Pick(["%3Cscript%3E", "*", "%27%20OR%201%3D1--"]);
    }

    private static string DuplicateAndUnknown(string json) =>
        json.StartsWith('{') && json.Length > 2 && JsonNode.Parse(json)!.AsObject().FirstOrDefault() is { Key: { } first, Value: var value }
            ? "{\"fuzz_unknown\":1,\"" + first + "\":" + (value?.ToJsonString() ?? "null") + "," + json[1..]
            : "{\"fuzz_unknown\":1}";

    /// <summary>Replaces the value of a random property with the JSON text <paramref name="valueJson"/>; the whole body when there is no property.</summary>
    private string PlantInValue(string json, string valueJson)
    {
        var properties = json.StartsWith('{') ? JsonNode.Parse(json)!.AsObject().Select(p => p.Key).ToArray() : [];
        if (properties.Length == 0)
        {
            return valueJson;
        }

        var target = Pick(properties);
        var others = JsonNode.Parse(json)!.AsObject().Where(p => p.Key != target).Select(p => $"\"{p.Key}\":{p.Value?.ToJsonString() ?? "null"}");
        return "{" + string.Join(",", others.Append($"\"{target}\":{valueJson}")) + "}";
    }

    /// <summary>Inserts raw bytes inside a string value of the UTF-8 body.</summary>
    private byte[] PlantBytes(string json, byte[] payload)
    {
        var bytes = Encoding.UTF8.GetBytes(PlantInValue(json, "\"ab\""));
        var at = Array.LastIndexOf(bytes, (byte)'b');
        return [.. bytes[..at], .. payload, .. bytes[at..]];
    }

    private static string Shorten(string value) => value.Length <= 24 ? value : value[..24] + $"…({value.Length} chars)";

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}
