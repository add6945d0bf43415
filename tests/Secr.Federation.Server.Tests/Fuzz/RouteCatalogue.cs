using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>
/// What a refusal looks like on a route: RFC 9457 on the APIs and the operational routes, RFC 6749 at the token
/// endpoint, either at OpenIddict's other endpoints (discovery, JWKS: its own errors are RFC 6749, the edge's are
/// RFC 9457), and the console's own rules.
/// </summary>
public enum RouteFamily
{
    Api,
    Operational,
    OAuth,
    Discovery,
    Console,
}

public sealed record QueryParameter(string Name, JsonNode? Schema);

/// <summary>One method of one route, with what the OpenAPI document says it takes (nothing, for routes it does not describe).</summary>
public sealed record FuzzRoute(
    string Method,
    string Template,
    RouteFamily Family,
    IReadOnlyList<string> PathParameters,
    IReadOnlyList<QueryParameter> Query,
    JsonNode? BodySchema,
    IReadOnlyList<string> PageHandlers,
    IReadOnlyList<string> FormFields)
{
    public string Key => $"{Method} {Template}";
}

/// <summary>
/// Every route the server answers, from its own descriptions: the OpenAPI document (<c>/openapi/v1.json</c>) for what
/// each route takes, the route table (the <see cref="EndpointDataSource"/>) for what is served, Razor Pages' handlers
/// for the console, and OpenIddict's options for the endpoints its middleware answers outside the route table.
/// </summary>
public sealed class RouteCatalogue
{
    /// <summary>Routes the OpenAPI document leaves out by design: the console (HTML), and probes, metrics and the document itself.</summary>
    public static readonly string[] UndocumentedPrefixes = ["/console", "/healthz", "/readyz", "/metrics", "/openapi"];

    private static readonly string[] OperationMethods = ["get", "put", "post", "delete", "patch"];

    private RouteCatalogue(IReadOnlyList<FuzzRoute> routes, IReadOnlySet<string> documented, IReadOnlySet<string> served, JsonObject schemas)
    {
        Routes = routes;
        Documented = documented;
        Served = served;
        Schemas = schemas;
    }

    public IReadOnlyList<FuzzRoute> Routes { get; }

    /// <summary>"METHOD /template" for every operation in the OpenAPI document.</summary>
    public IReadOnlySet<string> Documented { get; }

    /// <summary>"METHOD /template" for every route in the route table.</summary>
    public IReadOnlySet<string> Served { get; }

    /// <summary>The document's <c>components.schemas</c>, which request bodies refer to.</summary>
    public JsonObject Schemas { get; }

    public static async Task<RouteCatalogue> LoadAsync(SecrServer server)
    {
        var document = JsonNode.Parse(await server.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(document).ToDictionary(o => o.Key);
        // OpenIddict's token endpoint is in the route table too, only for its metadata (TokenEndpointRoute): it is OpenIddict's.
        var openIddict = OpenIddictEndpoints(server).ToList();
        var served = (await ServedAsync(server)).Where(r => !openIddict.Any(o => string.Equals(o.Template, r.Template, StringComparison.OrdinalIgnoreCase))).ToList();

        // A described route takes what the document says it takes; the others, what their route and page model say.
        return new RouteCatalogue(
            served.Concat(openIddict).Select(route => operations.GetValueOrDefault(route.Key, route))
                .OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList(),
            operations.Keys.ToHashSet(),
            served.Select(r => r.Key).ToHashSet(),
            document["components"]?["schemas"]?.AsObject() ?? []);
    }

    private static IEnumerable<FuzzRoute> Operations(JsonNode document)
    {
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => OperationMethods.Contains(o.Key)))
            {
                var parameters = (item["parameters"]?.AsArray() ?? []).Concat(operation!["parameters"]?.AsArray() ?? []).ToList();
                yield return new FuzzRoute(
                    method.ToUpperInvariant(),
                    template,
                    FamilyOf(template),
                    parameters.Where(p => (string?)p!["in"] == "path").Select(p => (string)p!["name"]!).ToList(),
                    parameters.Where(p => (string?)p!["in"] == "query").Select(p => new QueryParameter((string)p!["name"]!, p["schema"])).ToList(),
                    operation["requestBody"]?["content"]?["application/json"]?["schema"],
                    [],
                    []);
            }
        }
    }

    /// <summary>The route table: minimal APIs with their methods, console pages with the methods and handlers their page models have.</summary>
    private static async Task<List<FuzzRoute>> ServedAsync(SecrServer server)
    {
        var pages = server.Services.GetRequiredService<PageLoader>();
        var routes = new List<FuzzRoute>();
        foreach (var endpoint in server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = Canonical(endpoint.RoutePattern);
            var parameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                routes.AddRange(PageRoutes(await pages.LoadAsync(page, endpoint.Metadata), template, parameters));
                continue;
            }

            // A route without method metadata (health checks, the metrics scrape) answers any method: GET and POST stand for them all.
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get, HttpMethods.Post])
            {
                routes.Add(new FuzzRoute(method, template, FamilyOf(template), parameters, [], null, [], []));
            }
        }

        return routes.DistinctBy(r => r.Key).ToList();
    }

    /// <summary>
    /// A console page by method: its handlers ("" for the unnamed one), and the fields its page model binds (bound
    /// properties, a complex one's properties under its name, and the handlers' own parameters): on GET from the query, on POST from the form.
    /// </summary>
    private static IEnumerable<FuzzRoute> PageRoutes(CompiledPageActionDescriptor page, string template, List<string> routeParameters)
    {
        foreach (var byMethod in page.HandlerMethods.GroupBy(h => h.HttpMethod.ToUpperInvariant()))
        {
            var get = byMethod.Key == HttpMethods.Get;
            var fields = page.BoundProperties.Where(p => !get || IsGetBindable(p))
                .SelectMany(p => Fields(p.Name, p.ParameterType))
                .Concat(byMethod.SelectMany(h => h.Parameters).Where(p => p.ParameterType != typeof(CancellationToken) && !routeParameters.Contains(p.Name))
                    .SelectMany(p => Fields(null, p.ParameterType).Select(f => f.Length == 0 ? p.Name : f)))
                .Distinct().ToList();
            yield return new FuzzRoute(byMethod.Key, template, RouteFamily.Console, routeParameters,
                get ? fields.Select(f => new QueryParameter(f, null)).ToList() : [], null, byMethod.Select(h => h.Name ?? "").Distinct().ToList(), get ? [] : fields);
        }
    }

    /// <summary>Razor Pages bind a property on GET only when it says so.</summary>
    private static bool IsGetBindable(ParameterDescriptor property) =>
        property is PageBoundPropertyDescriptor { Property: var info } && info.GetCustomAttribute<BindPropertyAttribute>()?.SupportsGet == true;

    /// <summary>A simple value is one field ("" when it has no name of its own); a complex one is a field per property, under <paramref name="prefix"/>.</summary>
    private static IEnumerable<string> Fields(string? prefix, Type type)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || Nullable.GetUnderlyingType(type) is not null || type == typeof(DateTimeOffset))
        {
            return [prefix ?? ""];
        }

        return type.GetProperties().Where(p => p.CanWrite).Select(p => prefix is null ? p.Name : $"{prefix}.{p.Name}");
    }

    /// <summary>OpenIddict's middleware answers its endpoints before routing: every endpoint URI it is configured with, by GET and POST.</summary>
    private static IEnumerable<FuzzRoute> OpenIddictEndpoints(SecrServer server)
    {
        var options = server.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue;
        return typeof(OpenIddictServerOptions).GetProperties()
            .Where(p => p.Name.EndsWith("EndpointUris", StringComparison.Ordinal) && p.PropertyType == typeof(List<Uri>))
            .SelectMany(p => ((List<Uri>)p.GetValue(options)!).Select(uri => (Template: "/" + uri.OriginalString.TrimStart('/'), Family: p.Name == nameof(options.TokenEndpointUris) ? RouteFamily.OAuth : RouteFamily.Discovery)))
            .Distinct()
            .SelectMany(endpoint => new[] { HttpMethods.Get, HttpMethods.Post }.Select(method => new FuzzRoute(method, endpoint.Template, endpoint.Family, [], [], null, [], [])));
    }

    private static RouteFamily FamilyOf(string template) =>
        template.StartsWith("/console", StringComparison.Ordinal) ? RouteFamily.Console
        : template.StartsWith("/api/", StringComparison.Ordinal) || template.StartsWith("/v1/", StringComparison.Ordinal) ? RouteFamily.Api
        : RouteFamily.Operational;

    /// <summary>A route pattern as the OpenAPI document writes it: leading slash, no trailing one, parameters without constraints.</summary>
    private static string Canonical(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));
}
