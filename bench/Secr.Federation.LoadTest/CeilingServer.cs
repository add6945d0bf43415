using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Secr.Federation.Server.TokenEndpoint;

namespace Secr.Federation.LoadTest;

/// <summary>
/// OpenIddict's own ceiling: an OpenIddict 7.8 server configured as the real one is (token exchange, anonymous clients,
/// stateless ES256 access tokens, no token or authorization storage, no access-token encryption), in degraded mode
/// so no store is ever consulted, with one handler that does the bare baseline's work and signs in
/// (<see cref="ReferenceSignIn"/>). The real server's SkipBuiltInSubjectTokenValidation, compiled in from its source,
/// turns off OpenIddict's own validation of the foreign subject token exactly as it does there. Nothing else: what this costs
/// over the bare baseline is OpenIddict's pipeline, and what the real server costs over this is ours.
/// </summary>
public static class CeilingServer
{
    public static async Task RunAsync(string jwksFile, string[] args)
    {
        var exchange = await ReferenceExchange.LoadAsync(jwksFile);
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(exchange);
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.EnableDegradedMode();
            server.SetIssuer(new Uri(exchange.Address));
            server.SetTokenEndpointUris("connect/token");
            server.AllowTokenExchangeFlow();
            server.AcceptAnonymousClients();
            server.Configure(o =>
            {
                o.SubjectTokenTypes.Clear();
                o.SubjectTokenTypes.Add(ReferenceExchange.SubjectTokenType);
            });
            server.DisableTokenStorage();
            server.DisableAuthorizationStorage();
            server.DisableScopeValidation();
            server.DisableAccessTokenEncryption();
            server.AddEphemeralEncryptionKey();
            server.AddSigningCredentials(new SigningCredentials(
                new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ceiling" }, SecurityAlgorithms.EcdsaSha256));
            server.AddEventHandler(SkipBuiltInSubjectTokenValidation.Descriptor);
            server.AddEventHandler(ReferenceSignIn.Descriptor);
            server.UseAspNetCore().DisableTransportSecurityRequirement();
        });
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/healthz", () => "ok");
        await app.RunAsync();
    }
}
