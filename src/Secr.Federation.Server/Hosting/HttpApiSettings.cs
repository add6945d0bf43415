using System.Text.Json;
using System.Text.Json.Serialization;
using Secr.Federation.Server.Governance;

namespace Secr.Federation.Server.Hosting;

/// <summary>What every minimal API shares, the admin API and the secrets API alike: JSON rules, problem details, the OpenAPI document.</summary>
public static class HttpApiSettings
{
    public static IServiceCollection AddSecrHttpApi(this IServiceCollection services)
    {
        // Outside Development minimal APIs answer a malformed body with a bare 400; thrown, it reaches the problem
        // details below, which name the offending field in every environment.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // The JSON reader names the offending field (e.g. an unknown one); echo it, it is the client's own input. A
            // converter's own message (NulRefusal's) lacks the field, which the reader then keeps in Path.
            if (context.Exception is BadHttpRequestException { InnerException: JsonException json })
            {
                context.ProblemDetails.Detail = json.Path is { } path && !json.Message.Contains(path, StringComparison.Ordinal) ? $"{json.Message} Path: {path}" : json.Message;
            }
        });
        services.AddOpenApi(EndpointRegistration.OpenApiDocument, openApi => openApi.AddSchemaTransformer(NulRefusal.DescribeStringsAsync));
        services.ConfigureHttpJsonOptions(json =>
        {
            // Unknown fields are errors, not silently ignored: a typo in "allow_broad_match" must not pass unnoticed.
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.AllowDuplicateProperties = false;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            json.SerializerOptions.Converters.Add(new NulRefusal.StringConverter());
            json.SerializerOptions.Converters.Add(new FindingJsonConverter());
        });
        return services;
    }
}
