using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secr.Cli.Infrastructure;

/// <summary>A failed call, already phrased as the one line the user sees; <see cref="Status"/> is the HTTP status when the server refused.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failed, int? status = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public int? Status { get; } = status;
}

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}

/// <summary>The server's APIs as the CLI calls them; RFC 9457 problems and OAuth errors become one readable line.</summary>
public sealed class ApiClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static ApiClient Create(CliContext context, bool requireToken = true) => Create(context, SecrConfig.Load(context), requireToken);

    /// <summary>For the configured server, presenting <paramref name="token"/> (null: no credential at all) instead of the configured one.</summary>
    public static ApiClient WithCredential(CliContext context, string? token) => Create(context, SecrConfig.Load(context) with { Token = token }, requireToken: false);

    private static ApiClient Create(CliContext context, SecrConfig config, bool requireToken)
    {
        if (config.Server is null)
        {
            throw new CliException("no server configured: run 'secr login --server URL' or set SECR_SERVER");
        }

        if (requireToken && config.Token is null)
        {
            throw new CliException("no credential configured: run 'secr login --server URL --token T' or set SECR_TOKEN");
        }

        return For(context, config);
    }

    /// <summary>A client for this server and credential, whatever is stored or set in the environment.</summary>
    public static ApiClient For(CliContext context, SecrConfig config)
    {
        var server = new Uri(config.Server!.TrimEnd('/') + "/");
        var transport = context.Transport ?? new HttpClientHandler();
        // An agent token is bound to this session's key (RFC 9449) rather than sent as it is; any other credential is a bearer token.
        var agent = SecrConfig.IsAgentToken(config.Token)
            ? new AgentDpopHandler(config.Token!, new Uri(server, TokenEndpoint), context.Clock) { InnerHandler = transport }
            : null;
        // The context's transport is the test's, used again by the next client: not this client's to dispose.
        var http = new HttpClient(agent ?? transport, disposeHandler: context.Transport is null) { BaseAddress = server };
        if (agent is null && config.Token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.Token);
        }

        return new ApiClient(http);
    }

    /// <summary>The server's token endpoint, relative to the server.</summary>
    public const string TokenEndpoint = "connect/token";

    /// <summary>A query string of the parameters that have a value ("" when none do).</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }

    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        return await ReadAsync(await http.SendAsync(request, cancellationToken), cancellationToken);
    }

    public async Task<JsonNode?> PostFormAsync(string path, IDictionary<string, string> form, CancellationToken cancellationToken = default) =>
        await ReadAsync(await http.PostAsync(path.TrimStart('/'), new FormUrlEncodedContent(form), cancellationToken), cancellationToken);

    /// <summary>Copies a (possibly long) response body to <paramref name="output"/> as it arrives.</summary>
    public async Task StreamAsync(string path, TextWriter output, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(path.TrimStart('/'), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync(response, cancellationToken);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            await output.WriteLineAsync(line);
        }
    }

    /// <summary>A response body exactly as the server sent it (a report file: its line endings kept), or the problem as a <see cref="CliException"/>.</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken = default)
    {
        var response = await http.GetAsync(path.TrimStart('/'), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync(response, cancellationToken);
        }

        using (response)
        {
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
    }

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var body = text.Length == 0 ? null : JsonNode.Parse(text);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            // Problem details (admin and secrets APIs) or an OAuth error (token endpoint): say what went wrong, in one line.
            // A validation problem names each field: rebuilt from its errors member, so the fields read as the flags.
            var detail = body?["errors"] is JsonObject { Count: > 0 } errors
                ? string.Join("; ", errors.Select(e => $"{FlagNames.Field(e.Key)}: {string.Join(", ", e.Value!.AsArray())}"))
                : (string?)body?["detail"] ?? (string?)body?["error_description"] ?? (string?)body?["title"] ?? response.ReasonPhrase;
            var code = (string?)body?["code"] ?? (string?)body?["error_code"] ?? (string?)body?["error"];
            // The token endpoint's description repeats the code for OAuth clients that show only error_description
            // ("… (reason: CODE; request: ID)"); it is said once here, before the colon.
            detail = code is null ? detail : detail?.Replace($"reason: {code}; ", "", StringComparison.Ordinal);
            throw new CliException($"{(int)response.StatusCode}{(code is null ? "" : " " + code)}: {FlagNames.InText(detail)}", status: (int)response.StatusCode);
        }
    }
}
