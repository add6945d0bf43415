using Microsoft.AspNetCore.HttpOverrides;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// The client behind the TLS-terminating proxy (docs/operations.md §3.2). On a connection from a proxy in
/// <c>Secr:Network:TrustedProxies</c>, the right-most <c>X-Forwarded-For</c> entry (the one that proxy appended; the
/// entries left of it are whatever the client sent) becomes the connection's remote address, and
/// <c>X-Forwarded-Proto</c> its scheme, so IP allowlists, conditional access, rate limits and the audit all see the
/// client. Further entries are read, up to <c>Secr:Network:ForwardLimit</c>, only while each comes from a trusted
/// proxy. From any other peer the headers are ignored: a caller cannot pick its own address. The de-facto
/// <c>X-Forwarded-*</c> headers are read, not RFC 7239 <c>Forwarded</c>, which ASP.NET Core does not parse.
/// </summary>
public static class TrustedProxies
{
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app, NetworkSettings settings)
    {
        // With no known proxy at all, ForwardedHeadersMiddleware believes every peer: without a setting it is not added.
        if (settings.TrustedProxies.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = settings.ForwardLimit,
        };

        // The defaults trust loopback; only the configured proxies are trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in settings.TrustedNetworks())
        {
            options.KnownIPNetworks.Add(new System.Net.IPNetwork(network.Network, network.PrefixLength));
        }

        // The middleware believes the first entry when the peer has no address (a Unix socket): such a peer is not a
        // configured proxy.
        return app.UseWhen(http => http.Connection.RemoteIpAddress is not null, proxied => proxied.UseForwardedHeaders(options));
    }
}
