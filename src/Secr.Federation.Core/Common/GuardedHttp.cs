using System.Net;
using System.Net.Sockets;
using Secr.Federation.Core.Federation.Keys;

namespace Secr.Federation.Core.Common;

/// <summary>
/// Outbound HTTP to addresses an admin configured (issuer keys, secret-scanning keys, event receivers): no redirects,
/// no proxy, a connect timeout, and a connection guard that refuses non-public addresses after DNS resolution
/// (jwt-attacks #19), connecting to the very address it checked so a DNS answer that changes in between (rebinding)
/// cannot slip through. A request may allow private addresses (<see cref="AllowPrivateNetwork"/>): the admin's opt-in.
/// </summary>
public static class GuardedHttp
{
    private static readonly HttpRequestOptionsKey<bool> AllowPrivateKey = new("secr.allow-private");

    /// <param name="allowInsecureLoopback">Development only: loopback addresses are allowed for every request.</param>
    public static SocketsHttpHandler CreateHandler(TimeSpan connectTimeout, bool allowInsecureLoopback) => new()
    {
        AllowAutoRedirect = false,
        ConnectTimeout = connectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxResponseHeadersLength = 32,
        UseProxy = false,
        ConnectCallback = (context, cancellationToken) => ConnectToPermittedAddressAsync(context, allowInsecureLoopback, cancellationToken),
    };

    /// <summary>Marks <paramref name="request"/> as allowed to reach a private or loopback address.</summary>
    public static void AllowPrivateNetwork(HttpRequestMessage request, bool allowed) => request.Options.Set(AllowPrivateKey, allowed);

    private static async ValueTask<Stream> ConnectToPermittedAddressAsync(SocketsHttpConnectionContext context, bool allowInsecureLoopback, CancellationToken cancellationToken)
    {
        context.InitialRequestMessage.Options.TryGetValue(AllowPrivateKey, out var allowPrivate);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);

        var permitted = addresses.FirstOrDefault(a => NetworkAddressPolicy.IsAllowed(a, allowPrivate, allowInsecureLoopback))
            ?? throw new HttpRequestException($"{host} resolves only to non-public addresses, which are refused unless allowed for it");

        var socket = new Socket(permitted.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
