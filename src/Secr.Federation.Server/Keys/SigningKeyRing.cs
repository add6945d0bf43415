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
    private CancellationTokenSource _changed = new();

    public IReadOnlyList<ServerSigningKey> Keys => _keys;

    public string? Name => Options.DefaultName;

    public void Replace(IReadOnlyList<ServerSigningKey> keys)
    {
        _keys = keys;
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
    }

    public IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

    public void Configure(OpenIddictServerOptions options)
    {
        foreach (var key in _keys)
        {
            SecurityKey securityKey = key.Key is ECDsa ec
                ? new ECDsaSecurityKey(ec) { KeyId = key.Kid }
                : new RsaSecurityKey((RSA)key.Key) { KeyId = key.Kid };
            options.SigningCredentials.Add(new SigningCredentials(securityKey, key.Algorithm));
        }
    }
}
