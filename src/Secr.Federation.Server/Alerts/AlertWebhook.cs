using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.Alerts;

/// <summary>
/// The CRITICAL alerts' webhook: a POST of the alert's JSON (snake_case) to <c>Secr:Alerts:WebhookUrl</c> when one is
/// configured, within 5 s. A failed delivery is logged and never thrown: what raised the alert (a frozen project, a
/// contained leak) stands either way. The client logs nothing and is not traced: many webhook services (Slack, Teams)
/// carry their credential in the URL.
/// </summary>
public sealed class AlertWebhook(IHttpClientFactory clients, IOptions<SecrOptions> options, ILogger<AlertWebhook> logger)
{
    public const string ClientName = "alert-webhook";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Posts <paramref name="body"/>; <paramref name="what"/> names the alert in the log when delivery fails ("canary").</summary>
    public async Task PostAsync<TBody>(string what, TBody body, CancellationToken cancellationToken)
    {
        if (options.Value.Alerts.WebhookUrl is not { Length: > 0 } url)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await clients.CreateClient(ClientName).PostAsJsonAsync(url, body, Json, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogError("The {Alert} webhook answered {Status}", what, (int)response.StatusCode);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            logger.LogError(e, "The {Alert} webhook could not be delivered", what);
        }
    }
}
