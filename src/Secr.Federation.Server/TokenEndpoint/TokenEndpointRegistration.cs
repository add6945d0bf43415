using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Secr.Federation.Core.Dpop;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data;
using Secr.Federation.Data.Dpop;
using Secr.Federation.Data.Keys;
using Secr.Federation.Server.Hosting;
using Secr.Federation.Server.Keys;
using Secr.Federation.Server.Revocation;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>The token endpoint's wiring: OpenIddict's server as this product configures it.</summary>
public static class TokenEndpointRegistration
{
    /// <summary>
    /// This server's OpenIddict handlers, listed together as OpenIddict lists its defaults. Each orders itself relative
    /// to the built-in handler it stands next to (see its <c>Descriptor</c>).
    /// </summary>
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        ExtractTokenForm.Descriptor,
        RefuseClientAuthentication.Descriptor,
        RefuseClientAuthentication.RevocationDescriptor,
        PassCredentialsToRevocationEndpoint.Descriptor,
        RevokePresentedAccessToken.Descriptor,
        SkipBuiltInSubjectTokenValidation.Descriptor,
        BindToDpopKey.Descriptor,
        AdmitTokenRequest.Descriptor,
        AttachDpopConfirmation.Descriptor,
        AttachGrantedScope.Descriptor,
        AttachRefusalDetails.Descriptor,
        AttachDpopTokenType.Descriptor,
        AttachDiscoveryMetadata.Descriptor,
    ];

    /// <summary>
    /// OpenIddict's server on the token endpoint (RFC 8693 exchange and the machine- and agent-token grants, anonymous
    /// clients, stateless JWTs), its JWKS from the signing-key ring, and this server's handlers (<see cref="Handlers"/>).
    /// </summary>
    public static IServiceCollection AddTokenEndpoint(this IServiceCollection services, ServerBootstrap bootstrap)
    {
        // Signing keys come from the ring, which rotation swaps at run time (see SigningKeyRing).
        var ring = new SigningKeyRing(bootstrap.SigningKeys);
        services.AddSingleton(ring);
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(ring);
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(ring);
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<SigningKeyRotation>();
        services.AddHostedService(sp => sp.GetRequiredService<SigningKeyRotation>());

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<SecrDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(new Uri(bootstrap.Options.Issuer));
                // Relative to the path base, as routing sees it (TokenEndpointRoute).
                server.SetTokenEndpointUris(TokenEndpointRoute.Path.TrimStart('/'));
                server.SetJsonWebKeySetEndpointUris(".well-known/jwks");
                server.SetRevocationEndpointUris(RevocationEndpoint.Path.TrimStart('/'));

                // Access tokens are stateless JWTs with no token entry to revoke: RevokePresentedAccessToken puts their
                // grant on the revocation list instead.
                server.RemoveEventHandler(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor);

                // Workloads are anonymous clients (no client_id, no secret): the credential they present is the authentication.
                // Each identity kind's grant is allowed below (AllowKindGrants), traded on this endpoint through the same pipeline.
                server.AcceptAnonymousClients();

                // There are no registered clients (see RefuseClientAuthentication): the built-in client_id check would
                // only build an application manager and a DbContext on every request to find nothing to check.
                server.RemoveEventHandler(OpenIddictServerHandlers.ValidateClientId.Descriptor);
                server.PrepareTokenPrincipalsWithoutClients();
                server.Configure(o =>
                {
                    o.SubjectTokenTypes.Clear();
                    foreach (var type in OidcBindingKind.SubjectTokenTypes)
                    {
                        o.SubjectTokenTypes.Add(type);
                    }
                });

                // Tokens are stateless JWTs: no database row per issued token; scopes are checked by the pipeline.
                server.DisableTokenStorage();
                server.DisableAuthorizationStorage();
                server.DisableScopeValidation();
                server.DisableAccessTokenEncryption();

                // OpenIddict requires an encryption key even though nothing is encrypted (no stored or encrypted tokens).
                server.AddEphemeralEncryptionKey();

                // ExtractTokenForm replaces OpenIddict's form reader (size and encoding limits first).
                server.RemoveEventHandler(OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<OpenIddictServerEvents.ExtractTokenRequestContext>.Descriptor);
                foreach (var handler in Handlers)
                {
                    server.AddEventHandler(handler);
                }

                // TLS is expected to terminate at the proxy in front; Secr:Issuer must be https unless it is loopback.
                server.UseAspNetCore().DisableTransportSecurityRequirement();
            });

        services.AddSingleton<TokenRequestReader>();
        services.AddSingleton<DpopProofValidator>();
        services.AddSingleton<DpopProofCheck>();
        services.AddSingleton(sp => new DpopNonces(sp.GetRequiredService<MasterKey>().Derive("secr-dpop-nonce"), sp.GetRequiredService<DpopSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<EfDpopReplay>();
        services.AddSingleton<IDpopReplay>(sp => sp.GetRequiredService<EfDpopReplay>());
        services.AddOptions<OpenIddictServerOptions>().Configure<IdentityKinds>(AllowKindGrants);
        return services;
    }

    /// <summary>Every registered identity kind's grant, as <c>AllowTokenExchangeFlow</c> and <c>AllowCustomFlow</c> would allow it.</summary>
    private static void AllowKindGrants(OpenIddictServerOptions options, IdentityKinds kinds)
    {
        foreach (var kind in kinds.All)
        {
            options.GrantTypes.Add(kind.GrantType);
        }
    }
}
