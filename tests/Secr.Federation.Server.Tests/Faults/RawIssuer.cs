using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Secr.Federation.Server.Tests.Faults;

/// <summary>
/// An issuer on a bare loopback socket, for the faults WireMock cannot stage: a JWKS streamed without Content-Length
/// (only a running byte count can stop it), a body that trickles in, and a count of every TCP connection, including
/// ones that never become an HTTP request (a TLS ClientHello, which WireMock would not log).
/// </summary>
public sealed class RawIssuer : IAsyncDisposable
{
    public const string JwksPath = "/.well-known/jwks";
    private const string DiscoveryPath = "/.well-known/openid-configuration";
    private const string StreamedHeaders = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";

    private readonly List<TcpListener> _listeners;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _accepting = [];
    private int _connections;

    private RawIssuer(List<TcpListener> listeners, Func<Stream, CancellationToken, Task> writeJwksBody, string jwksHeaders)
    {
        _listeners = listeners;
        WriteJwksBody = writeJwksBody;
        JwksHeaders = jwksHeaders;
        Port = ((IPEndPoint)listeners[0].LocalEndpoint).Port;
        _accepting.AddRange(listeners.Select(AcceptAsync));
    }

    /// <summary>
    /// Listens on 127.0.0.1 and, where the host has IPv6, on [::1] at the same port, so "localhost" reaches it whichever
    /// address the resolver lists first.
    /// </summary>
    /// <param name="writeJwksBody">Writes the JWKS body; returning closes the connection.</param>
    /// <param name="jwksHeaders">
    /// The JWKS response's status line and headers, ending in an empty line; by default a 200 with no Content-Length, so
    /// the body runs until the connection closes.
    /// </param>
    public static RawIssuer Start(Func<Stream, CancellationToken, Task>? writeJwksBody = null, string jwksHeaders = StreamedHeaders)
    {
        var v4 = new TcpListener(IPAddress.Loopback, 0);
        v4.Start();
        var listeners = new List<TcpListener> { v4 };
        try
        {
            var v6 = new TcpListener(IPAddress.IPv6Loopback, ((IPEndPoint)v4.LocalEndpoint).Port);
            v6.Start();
            listeners.Add(v6);
        }
        catch (SocketException)
        {
            // No IPv6 loopback on this host, so "localhost" resolves to 127.0.0.1 alone (or, rarely, the port is taken on [::1]).
        }

        return new RawIssuer(listeners, writeJwksBody ?? Body("""{"keys":[]}"""), jwksHeaders);
    }

    public int Port { get; }

    /// <summary>The JWKS response's status line and headers, ending in an empty line; can be changed between fetches.</summary>
    public string JwksHeaders { get; set; }

    /// <summary>Writes the JWKS body; returning closes the connection. Can be changed between fetches.</summary>
    public Func<Stream, CancellationToken, Task> WriteJwksBody { get; set; }

    /// <summary>A body writer for <paramref name="text"/>, e.g. a JWKS built from a fixture key.</summary>
    public static Func<Stream, CancellationToken, Task> Body(string text) =>
        (stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();

    /// <summary>The issuer identifier over plain http on 127.0.0.1 (the development loopback setting must be on).</summary>
    public string Issuer => $"http://127.0.0.1:{Port}";

    /// <summary>TCP connections accepted so far, on either address, whatever was sent on them.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_accepting);
        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var path = await ReadRequestPathAsync(stream, _stop.Token);
                if (path == DiscoveryPath)
                {
                    var body = Encoding.UTF8.GetBytes($$"""{"issuer":"{{Issuer}}","jwks_uri":"{{Issuer}}{{JwksPath}}"}""");
                    await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(body, _stop.Token);
                }
                else if (path == JwksPath)
                {
                    await WriteAsync(stream, JwksHeaders);
                    await WriteJwksBody(stream, _stop.Token);
                }
                else
                {
                    await WriteAsync(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client hung up (as a verifier that gives up should) or the test is over.
            }
        }

        async Task WriteAsync(Stream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token);
    }

    /// <summary>The path of a GET request, or null for anything else (a TLS handshake, garbage).</summary>
    private static async Task<string?> ReadRequestPathAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var buffer = new byte[1024];
        while (head.Count < 16 * 1024)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            head.AddRange(buffer.AsSpan(0, read));
            if (head[0] != (byte)'G')
            {
                return null; // e.g. 0x16, a TLS ClientHello: hang up at once rather than let the client wait.
            }

            var text = Encoding.ASCII.GetString(head.ToArray());
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var parts = text[..text.IndexOf('\r')].Split(' ');
                return parts is ["GET", var path, _] ? path : null;
            }
        }

        return null;
    }
}
