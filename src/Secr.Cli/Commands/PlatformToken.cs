using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// Where a workload's platform token comes from (<c>--token-file F</c>, <c>--github</c> or <c>--gitlab-var VAR</c>), and
/// its trade for a secr access token (RFC 8693): one set of options for <c>secr exchange</c> and <c>secr run</c>.
/// </summary>
internal sealed class PlatformToken
{
    private readonly Option<string?> _tokenFile = Options.InputFile("--token-file", "A file holding the platform JWT (Kubernetes projected token, GCP/AWS token)");
    private readonly Option<bool> _github = new("--github") { Description = "Request the job's OIDC token from GitHub Actions" };
    private readonly Option<string?> _gitlabVar = Options.Optional("--gitlab-var", "The CI/CD variable holding a GitLab id_token (as named under id_tokens: in .gitlab-ci.yml)");
    private readonly Option<string?> _audience = Options.Optional("--audience", "With --github: the audience to request (default: the server's issuer URL)");
    private readonly Option<string?> _scope = Options.Optional("--scope", "e.g. binding:NAME or secrets:read");

    public IEnumerable<Option> All() => [_tokenFile, _github, _gitlabVar, _audience, _scope];

    /// <summary>How many sources were given: 0 (use the stored credential, where that is allowed) or 1; more is a usage error.</summary>
    public bool IsGiven(ParseResult parse)
    {
        var sources = new[] { parse.GetValue(_github), parse.GetValue(_tokenFile) is not null, parse.GetValue(_gitlabVar) is not null }.Count(given => given);
        if (sources > 1)
        {
            throw new CliException("say where the platform token comes from: one of --token-file F, --github or --gitlab-var VAR", ExitCodes.Usage);
        }

        if (parse.GetValue(_audience) is not null && !parse.GetValue(_github))
        {
            throw new CliException("--audience applies to --github only: other platforms fix the audience when they mint the token", ExitCodes.Usage);
        }

        if (parse.GetValue(_scope) is not null && sources == 0)
        {
            throw new CliException("--scope applies to a token exchange: give --token-file F, --github or --gitlab-var VAR", ExitCodes.Usage);
        }

        return sources == 1;
    }

    /// <summary>The platform token, traded at the server's token endpoint for a secr access token.</summary>
    public async Task<string> ExchangeAsync(CliContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var api = ApiClient.Create(context, requireToken: false);
        var subject = parse.GetValue(_github) ? await GitHubTokenAsync(context, parse.GetValue(_audience) ?? SecrConfig.Load(context).Server!.TrimEnd('/') + "/", cancellationToken)
            : parse.GetValue(_tokenFile) is { } file ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim()
            : context.Environment(parse.GetValue(_gitlabVar)!)?.Trim() is { Length: > 0 } variable ? variable
            : throw new CliException($"the variable {parse.GetValue(_gitlabVar)} is empty or unset: declare it under id_tokens: in the job");
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["subject_token"] = subject,
        };
        if (parse.GetValue(_scope) is { } requested)
        {
            form["scope"] = requested;
        }

        var response = await api.PostFormAsync(ApiClient.TokenEndpoint, form, cancellationToken);
        return (string)response!["access_token"]!;
    }

    /// <summary>As GitHub's toolkit does: GET $ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=… with the request token as bearer.</summary>
    private static async Task<string> GitHubTokenAsync(CliContext context, string audience, CancellationToken cancellationToken)
    {
        var url = context.Environment("ACTIONS_ID_TOKEN_REQUEST_URL");
        var bearer = context.Environment("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        if (url is null || bearer is null)
        {
            throw new CliException("ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN are not set: give the job 'permissions: id-token: write'");
        }

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}&audience={Uri.EscapeDataString(audience)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"GitHub refused the OIDC token request ({(int)response.StatusCode})");
        }

        return (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["value"]
            ?? throw new CliException("GitHub's answer has no token value");
    }
}
