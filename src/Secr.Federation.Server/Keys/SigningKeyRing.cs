using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Secr.Federation.Data.Keys;

namespace Secr.Federation.Server.Keys;

/// <summary>
/// The signing keys OpenIddict uses, swappable at run time: replacing them signals the options monitor, so the next
/// request sees the new active key (first, so it signs) and the retired ones (still published in the JWKS).
/// </summary>
public sealed class SigningKeyRing(IReadOnlyList<ServerSigningKey> initial) : IConfigureOptions<OpenIddictServerOptions>, IOptionsChangeTokenSource<OpenIddictServerOptions>
{
    private volatile IReadOnlyList<ServerSigningKey> _keys = initial;
    private volatile IReadOnlyList<SecurityKey> _publicKeys = initial.Select(ToSecurityKey).ToList();
    private CancellationTokenSource _changed = new();

    public IReadOnlyList<ServerSigningKey> Keys => _keys;

    /// <summary>The keys as a resource server verifies with them (the same set the JWKS publishes).</summary>
    public IReadOnlyList<SecurityKey> PublicKeys => _publicKeys;

    public string? Name => Options.DefaultName;

    public void Replace(IReadOnlyList<ServerSigningKey> keys)
    {
        _keys = keys;
        _publicKeys = keys.Select(ToSecurityKey).ToList();
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
    }

    public IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

    public void Configure(OpenIddictServerOptions options)
    {
        foreach (var key in _keys)
        {
            options.SigningCredentials.Add(new SigningCredentials(ToSecurityKey(key), key.Algorithm));
        }
    }

    private static SecurityKey ToSecurityKey(ServerSigningKey key) => key.Key is ECDsa ec
        ? new ECDsaSecurityKey(ec) { KeyId = key.Kid }
        : new RsaSecurityKey((RSA)key.Key) { KeyId = key.Kid };
}
