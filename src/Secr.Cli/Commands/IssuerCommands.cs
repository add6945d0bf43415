using System.CommandLine;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr oidc issuer add|list|set-jwks|remove</c>: the issuers whose tokens may be exchanged.</summary>
internal static class IssuerCommands
{
    public static Command Build(CliContext context)
    {
        var name = new Argument<string>("name");
        var preset = new Option<string>("--preset") { Description = "github, gitlab, kubernetes, gcp, aws or generic", Required = true };
        preset.AcceptOnlyFromAmong("github", "gitlab", "kubernetes", "gcp", "aws", "generic");
        var url = Options.Required("--url", "The issuer URL, exactly as its tokens' iss");
        var jwksFile = Options.InputFile("--jwks-file", "A JWKS to trust instead of discovery (private clusters)");
        var audience = Options.Optional("--audience", "The audience its tokens must carry (default: this server's issuer URL)");
        var add = new Command("add", "Register a trusted issuer") { name, preset, url, jwksFile, audience };
        add.SetAction(async (parse, ct) =>
        {
            var jwks = parse.GetValue(jwksFile) is { } file ? JsonNode.Parse(await File.ReadAllTextAsync(file, ct)) : null;
            await ApiClient.Create(context).SendAsync(HttpMethod.Post, "api/v1/issuers",
                new { name = parse.GetValue(name), preset = parse.GetValue(preset), url = parse.GetValue(url), jwks, audience = parse.GetValue(audience) }, ct);
            new Printer(context).Done($"issuer {parse.GetValue(name)} trusted");
            return ExitCodes.Success;
        });

        var listJson = Options.Json();
        var list = new Command("list", "List trusted issuers") { listJson };
        list.SetAction(async (parse, ct) =>
        {
            var issuers = await ApiClient.Create(context).SendAsync(HttpMethod.Get, "api/v1/issuers", cancellationToken: ct);
            new Printer(context).List(issuers, parse.GetValue(listJson), ("NAME", i => (string?)i["name"]), ("PRESET", i => (string?)i["preset"]), ("URL", i => (string?)i["url"]),
                ("KEYS", i => (string?)i["key_source"]));
            return ExitCodes.Success;
        });

        var jwksName = new Argument<string>("name");
        var newJwks = Options.InputFile("--jwks-file", "The issuer's new JWKS (e.g. kubectl get --raw /openid/v1/jwks)", required: true);
        var setJwks = new Command("set-jwks", "Replace an uploaded JWKS after the issuer rotated its keys; its bindings stay") { jwksName, newJwks };
        setJwks.SetAction(async (parse, ct) =>
        {
            var jwks = JsonNode.Parse(await File.ReadAllTextAsync(parse.GetValue(newJwks)!, ct));
            await ApiClient.Create(context).SendAsync(HttpMethod.Put, $"api/v1/issuers/{Options.Segment(parse, jwksName)}/jwks", jwks, ct);
            new Printer(context).Done($"issuer {parse.GetValue(jwksName)} now trusts the uploaded keys");
            return ExitCodes.Success;
        });

        var removeName = new Argument<string>("name");
        var remove = new Command("remove", "Stop trusting an issuer (its bindings must be deleted first)") { removeName };
        remove.SetAction(async (parse, ct) =>
        {
            await ApiClient.Create(context).SendAsync(HttpMethod.Delete, $"api/v1/issuers/{Options.Segment(parse, removeName)}", cancellationToken: ct);
            new Printer(context).Done($"issuer {parse.GetValue(removeName)} removed");
            return ExitCodes.Success;
        });

        return new Command("issuer", "Trusted issuers") { add, list, setJwks, remove };
    }
}
