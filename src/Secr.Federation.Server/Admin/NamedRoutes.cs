using Secr.Federation.Data.Identities;

namespace Secr.Federation.Server.Admin;

/// <summary>
/// Every route that names one identity takes its name or its id. The route value is resolved here, once, before the
/// owner check and the handler, which then see what the stores take (an id; a binding's name). A name that fits several
/// live identities is refused (RFC 9457, 409) rather than guessed; one that fits none goes on to the handler's 404.
/// </summary>
public static class NamedRoutes
{
    public static TBuilder TakesNameOrId<TBuilder, TStore>(this TBuilder builder, string parameter, Func<TStore, string, CancellationToken, Task<NameOrId>> resolve)
        where TBuilder : IEndpointConventionBuilder
        where TStore : notnull =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var index = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.Name == parameter && p.ParameterType == typeof(string));
            if (index < 0)
            {
                return next;
            }

            return async context =>
            {
                var http = context.HttpContext;
                var reference = await resolve(http.RequestServices.GetRequiredService<TStore>(), context.GetArgument<string>(index), http.RequestAborted);
                if (reference.Ambiguity is { } ambiguity)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Ambiguous name", detail: ambiguity);
                }

                if (reference.Resolved is { } resolved)
                {
                    context.Arguments[index] = resolved;
                    http.Request.RouteValues[parameter] = resolved;
                }

                return await next(context);
            };
        });
}
