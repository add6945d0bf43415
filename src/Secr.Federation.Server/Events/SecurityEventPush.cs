using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Events;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Data.Events;

namespace Secr.Federation.Server.Events;

/// <summary>The outcome of one push: delivered or not, and in words for the receiver's delivery state.</summary>
public sealed record PushOutcome(bool Delivered, string Description);

/// <summary>
/// Push delivery of a SET (RFC 8935): POST of the compact token as <c>application/secevent+jwt</c>, accepted with 202.
/// A 400 carries the receiver's <c>err</c> and <c>description</c> (§2.3), which the delivery state keeps. The connection
/// goes through the address guard the key fetcher uses (<see cref="GuardedHttp"/>), with the receiver's own opt-in for
/// a private address; 10 seconds per attempt.
/// </summary>
public sealed class SecurityEventPush : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly HttpClient _client;

    public SecurityEventPush(JwksFetchOptions options) =>
        _client = new HttpClient(GuardedHttp.CreateHandler(Timeout, options.AllowInsecureLoopbackIssuers)) { Timeout = Timeout };

    public async Task<PushOutcome> PushAsync(DueDelivery delivery, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(token, System.Text.Encoding.ASCII, SecurityEventToken.MediaType),
        };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        GuardedHttp.AllowPrivateNetwork(request, delivery.AllowPrivateNetwork);
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return new PushOutcome(true, "202 accepted");
            }

            return new PushOutcome(false, $"{(int)response.StatusCode}{await ErrorAsync(response, cancellationToken)}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return new PushOutcome(false, e is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : Bounded(e.Message));
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>RFC 8935 §2.3's <c>{"err","description"}</c>, when the receiver sent one.</summary>
    private static async Task<string> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(text.Length > 4096 ? "{}" : text);
            var err = document.RootElement.TryGetProperty("err", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var description = document.RootElement.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return err is null ? "" : Bounded($" {err}{(description is null ? "" : $": {description}")}");
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string Bounded(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
