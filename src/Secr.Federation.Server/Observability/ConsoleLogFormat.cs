using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging.Console;

namespace Secr.Federation.Server.Observability;

/// <summary>
/// <c>Secr:Logging:Format</c>: <c>json</c> (the default outside Development) writes one JSON object per line with
/// its scopes, so every line of a request carries ASP.NET Core's <c>RequestId</c> (the audit records' request id, see
/// <c>HttpClientIdentity</c>) and the trace's <c>TraceId</c>; <c>text</c> is the console's usual human format.
/// </summary>
public static class ConsoleLogFormat
{
    public const string Setting = "Secr:Logging:Format";
    public const string Json = "json";
    public const string Text = "text";

    public static ILoggingBuilder AddSecrConsole(this ILoggingBuilder logging, IConfiguration configuration, IHostEnvironment environment)
    {
        var format = configuration[Setting] ?? (environment.IsDevelopment() ? Text : Json);
        switch (format)
        {
            case Json:
                logging.AddJsonConsole(json =>
                {
                    json.IncludeScopes = true;
                    json.UseUtcTimestamp = true;
                    json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

                    // Log lines are read by log shippers and people, never embedded in HTML: no \u0027 for every apostrophe.
                    json.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
                });
                break;
            case Text:
                logging.AddConsole();
                break;
            default:
                throw new InvalidOperationException($"{Setting} must be '{Json}' or '{Text}', not '{format}'");
        }

        return logging;
    }
}
