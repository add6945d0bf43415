using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Secr.Federation.Core.Identities.Agents;

namespace Secr.Cli.Infrastructure;

/// <summary>
/// How the CLI presents an agent token (RFC 9449): the agent token itself never goes to the secrets API. On the first
/// request it is traded at the token endpoint, with a proof, for an access token bound to this session's key, and every
/// request then carries that token under the DPoP scheme with a fresh proof. A copy of the access token is of no use
/// without the key, which never leaves this process. A server's nonce challenge (§8, §9) is answered by one retry.
/// </summary>
/// <param name="tokenEndpoint">Where the agent token is traded (<see cref="ApiClient.TokenEndpoint"/>).</param>
/// <param name="clock">For proofs' <c>iat</c> and the token's expiry: the context's clock, which tests share with the in-process server.</param>
public sealed class AgentDpopHandler(string agentToken, Uri tokenEndpoint, TimeProvider clock) : DelegatingHandler
{
    private const string Scheme = "DPoP";
    private const string ProofHeader = "DPoP";
    private const string NonceHeader = "DPoP-Nonce";

    /// <summary>A token this close to expiry is replaced first: it could expire between the proof and the server reading it.</summary>
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);

    /// <summary>One key per handler, and a command makes one client: one key per CLI invocation, never stored.</summary>
    private readonly DpopSessionKey _key = new(clock);

    /// <summary>A handler may be given requests at once: they share one trade of the agent token rather than each making one.</summary>
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private string? _accessToken;
    private DateTimeOffset _refreshAt;

    /// <summary>The server's latest nonce: each response may give a new one for the next proofs.</summary>
    private string? _nonce;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (accessToken, refusal) = await AccessTokenAsync(cancellationToken);
        if (refusal is not null)
        {
            // The token endpoint's refusal is answered as the request's own, so it reads as the CLI's usual one-line error.
            return refusal;
        }

        request.Headers.Authorization = new AuthenticationHeaderValue(Scheme, accessToken);
        return await SendWithProofAsync(request, accessToken, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tokenGate.Dispose();
            _key.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The session's bound access token, traded for when there is none or it is about to expire; or the token endpoint's refusal.</summary>
    private async Task<(string? Token, HttpResponseMessage? Refusal)> AccessTokenAsync(CancellationToken cancellationToken)
    {
        await _tokenGate.WaitAsync(cancellationToken);
        try
        {
            if (_accessToken is not null && clock.GetUtcNow() < _refreshAt)
            {
                return (_accessToken, null);
            }

            using var grant = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = AgentKind.Grant, ["token"] = agentToken }),
            };
            var response = await SendWithProofAsync(grant, accessToken: null, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, response);
            }

            using (response)
            {
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                // A bearer token here would be the server ignoring the proof: the CLI does not fall back to a token a copy of which works anywhere.
                if ((string?)body?["token_type"] is not Scheme || (string?)body["access_token"] is not { Length: > 0 } token)
                {
                    throw new CliException("the server did not bind the agent's access token to this session's key (no DPoP token_type): is it older than the CLI?");
                }

                _accessToken = token;
                _refreshAt = clock.GetUtcNow() + TimeSpan.FromSeconds((int?)body["expires_in"] ?? 0) - RefreshMargin;
                return (token, null);
            }
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> with a new proof; when the server answers with a nonce challenge, once more
    /// with a proof carrying that nonce. Its body is read into memory first, so the retry sends the same bytes.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithProofAsync(HttpRequestMessage request, string? accessToken, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await ResendableBody.ReadAsync(request.Content, cancellationToken);
        var response = await SendOnceAsync(request, accessToken, cancellationToken);
        if (!IsNonceChallenge(response))
        {
            return response;
        }

        response.Dispose();
        request.Content = body?.Copy();
        return await SendOnceAsync(request, accessToken, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, string? accessToken, CancellationToken cancellationToken)
    {
        request.Headers.Remove(ProofHeader);
        request.Headers.Add(ProofHeader, _key.Proof(request.Method, request.RequestUri!, accessToken, _nonce));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues(NonceHeader, out var nonces))
        {
            _nonce = nonces.Last();
        }

        return response;
    }

    /// <summary>
    /// RFC 9449 §8 and §9: a refusal that gives a nonce asks for a proof with it (400 <c>use_dpop_nonce</c> at the token
    /// endpoint, 401 <c>use_dpop_nonce</c> at the secrets API); the nonce was remembered as the response came in.
    /// </summary>
    private static bool IsNonceChallenge(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized && response.Headers.Contains(NonceHeader);

    /// <summary>A request body as bytes and content headers, so it can be sent a second time (content is read once when sent).</summary>
    private sealed record ResendableBody(byte[] Bytes, IReadOnlyList<KeyValuePair<string, IEnumerable<string>>> Headers)
    {
        public static async Task<ResendableBody> ReadAsync(HttpContent content, CancellationToken cancellationToken) =>
            new(await content.ReadAsByteArrayAsync(cancellationToken), [.. content.Headers]);

        public HttpContent Copy()
        {
            var copy = new ByteArrayContent(Bytes);
            foreach (var (name, values) in Headers)
            {
                copy.Headers.TryAddWithoutValidation(name, values);
            }

            return copy;
        }
    }
}
