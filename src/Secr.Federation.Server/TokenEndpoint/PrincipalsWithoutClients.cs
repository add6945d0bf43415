using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// OpenIddict prepares the principal of each token it issues with an optional application manager, to apply a client's
/// own settings. Its descriptors ask the container for one on every sign-in, building the manager, its store and a
/// DbContext. This server has no registered clients and refuses any request that names one
/// (<see cref="RefuseClientAuthentication"/>), so the same handlers run here without a manager, built once.
/// </summary>
public static class PrincipalsWithoutClients
{
    public static OpenIddictServerBuilder PrepareTokenPrincipalsWithoutClients(this OpenIddictServerBuilder server) => server
        .Replace(PrepareAccessTokenPrincipal.Descriptor, new PrepareAccessTokenPrincipal())
        .Replace(PrepareIssuedTokenPrincipal.Descriptor, new PrepareIssuedTokenPrincipal());

    private static OpenIddictServerBuilder Replace<THandler>(this OpenIddictServerBuilder server, OpenIddictServerHandlerDescriptor builtIn, THandler handler)
        where THandler : IOpenIddictServerHandler<ProcessSignInContext> => server
        .RemoveEventHandler(builtIn)
        .AddEventHandler(OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>().Import(builtIn).UseSingletonHandler(new Unmanaged<THandler>(handler)).Build());

    /// <summary>The built-in handler under a type of its own: OpenIddict removes a handler by its type, and resolves it by type.</summary>
    private sealed class Unmanaged<THandler>(THandler handler) : IOpenIddictServerHandler<ProcessSignInContext>
        where THandler : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public ValueTask HandleAsync(ProcessSignInContext context) => handler.HandleAsync(context);
    }
}
