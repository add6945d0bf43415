using Secr.Federation.Server.Keys;

namespace Secr.Federation.Server.Admin;

/// <summary>This server's signing keys: which one signs, which are still published, and rotation on demand.</summary>
public static class KeysApi
{
    public sealed record KeyResponse(string Kid, string Algorithm, bool Active, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt);

    public static RouteGroupBuilder MapKeys(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("Keys");
        keys.MapGet("/", (SigningKeyRing ring) => TypedResults.Ok(ring.Keys.Select(k => new KeyResponse(k.Kid, k.Algorithm, k.Active, k.CreatedAt, k.ActivatesAt))));
        keys.MapPost("/rotate", async (SigningKeyRotation rotation, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok((await rotation.RotateNowAsync(http.Actor(), ct)).Select(k => new KeyResponse(k.Kid, k.Algorithm, k.Active, k.CreatedAt, k.ActivatesAt))));
        return api;
    }
}
