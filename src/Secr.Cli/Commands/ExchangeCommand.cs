using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>secr exchange [--token-file F | --github | --gitlab-var VAR] [--audience A]</c>: for workloads, trades the platform
/// token for a secr access token and prints it (or <c>--export</c> prints <c>export SECR_TOKEN=…</c>).
/// </summary>
internal static class ExchangeCommand
{
    public static Command Build(CliContext context)
    {
        var tokenFile = Options.InputFile("--token-file", "A file holding the platform JWT (Kubernetes projected token, GCP/AWS token)");
        var github = new Option<bool>("--github") { Description = "Request the job's OIDC token from GitHub Actions" };
        var gitlabVar = Options.Optional("--gitlab-var", "The CI/CD variable holding a GitLab id_token (as named under id_tokens: in .gitlab-ci.yml)");
        var audience = Options.Optional("--audience", "With --github: the audience to request (default: the server's issuer URL)");
        var scope = Options.Optional("--scope", "e.g. binding:NAME or secrets:read");
        var export = new Option<bool>("--export") { Description = "Print a shell export line instead of the bare token" };
        var command = new Command("exchange", "Trade a platform token for a secr access token") { tokenFile, github, gitlabVar, audience, scope, export };
        command.SetAction(async (parse, ct) =>
        {
            var api = ApiClient.Create(context, requireToken: false);
            var sources = new[] { parse.GetValue(github), parse.GetValue(tokenFile) is not null, parse.GetValue(gitlabVar) is not null }.Count(given => given);
            if (sources != 1)
            {
                throw new CliException("say where the platform token comes from: one of --token-file F, --github or --gitlab-var VAR", ExitCodes.Usage);
            }

            if (parse.GetValue(audience) is not null && !parse.GetValue(github))
            {
                throw new CliException("--audience applies to --github only: other platforms fix the audience when they mint the token", ExitCodes.Usage);
            }

            var subject = parse.GetValue(github) ? await GitHubTokenAsync(context, parse.GetValue(audience) ?? SecrConfig.Load(context).Server!.TrimEnd('/') + "/", ct)
                : parse.GetValue(tokenFile) is { } file ? (await File.ReadAllTextAsync(file, ct)).Trim()
                : context.Environment(parse.GetValue(gitlabVar)!)?.Trim() is { Length: > 0 } variable ? variable
                : throw new CliException($"the variable {parse.GetValue(gitlabVar)} is empty or unset: declare it under id_tokens: in the job");
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
                ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
                ["subject_token"] = subject,
            };
            if (parse.GetValue(scope) is { } requested)
            {
                form["scope"] = requested;
            }

            var response = await api.PostFormAsync("connect/token", form, ct);
            var accessToken = (string)response!["access_token"]!;
            await context.Output.WriteLineAsync(parse.GetValue(export) ? $"export SECR_TOKEN={accessToken}" : accessToken);
            return ExitCodes.Success;
        });
        return command;
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
