using System.Net.Http.Headers;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>One request the CLI sent and how the server answered, as the wire carried them.</summary>
/// <param name="Proofs">The request's <c>DPoP</c> header values.</param>
/// <param name="Nonce">The response's <c>DPoP-Nonce</c> header, if any.</param>
public sealed record RecordedExchange(HttpMethod Method, Uri Uri, AuthenticationHeaderValue? Authorization, IReadOnlyList<string> Proofs, string? Body, int Status, string? Nonce);

/// <summary>
/// Stands between the CLI and the in-process server (<see cref="CliRunner.Around"/>) and records every exchange, so a
/// test sees the headers the CLI really sent; <see cref="OnResponse"/> lets it act between two of the CLI's requests.
/// </summary>
public sealed class TransportRecorder
{
    private readonly List<RecordedExchange> _exchanges = [];

    public IReadOnlyList<RecordedExchange> Exchanges => _exchanges;

    /// <summary>Called with each response before the CLI sees it.</summary>
    public Action<RecordedExchange>? OnResponse { get; set; }

    public HttpMessageHandler Around(HttpMessageHandler server) => new Recording(this) { InnerHandler = server };

    private sealed class Recording(TransportRecorder recorder) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var proofs = request.Headers.TryGetValues("DPoP", out var values) ? values.ToList() : [];
            var response = await base.SendAsync(request, cancellationToken);
            var nonce = response.Headers.TryGetValues("DPoP-Nonce", out var nonces) ? nonces.Single() : null;
            var exchange = new RecordedExchange(request.Method, request.RequestUri!, request.Headers.Authorization, proofs, body, (int)response.StatusCode, nonce);
            recorder._exchanges.Add(exchange);
            recorder.OnResponse?.Invoke(exchange);
            return response;
        }
    }
}
