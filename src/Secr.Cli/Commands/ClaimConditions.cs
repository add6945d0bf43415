using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// A binding's claim conditions as flags: <c>--claim CLAIM=VALUE</c> (equals), <c>--claim-glob CLAIM=PATTERN</c>,
/// <c>--claim-not CLAIM=VALUE</c> (not_equals) and <c>--claim-exists CLAIM</c>. Repeating a claim with the same operator
/// lists more values for one condition (any of them for equals and glob, none of them for not_equals). Values are strings;
/// <c>CLAIM:=JSON</c> gives a typed value (<c>email_verified:=true</c>), because the matcher never equates "74" and 74.
/// <c>--github-repo</c> is a shorthand for a GitHub repository (<see cref="GitHubRepository"/>).
/// </summary>
internal sealed class ClaimConditions
{
    private readonly Option<string[]> _equals = Options.Repeatable("--claim", "CLAIM=VALUE: the claim equals the value (CLAIM:=JSON for a number or boolean); repeatable");
    private readonly Option<string[]> _globs = Options.Repeatable("--claim-glob", "CLAIM=PATTERN: whole-segment glob such as refs/heads/release/*; repeatable");
    private readonly Option<string[]> _nots = Options.Repeatable("--claim-not", "CLAIM=VALUE: the claim must not equal the value; repeatable");
    private readonly Option<string[]> _exists = Options.Repeatable("--claim-exists", "CLAIM: the claim must be present; repeatable");
    private readonly Option<string?> _githubRepo = Options.Optional("--github-repo",
        "OWNER@OWNER_ID/REPO@REPO_ID, OWNER/REPO@REPO_ID or OWNER@OWNER_ID/*: pins the repository (or every repository of the owner) by its ids, as the immutable sub does");

    public void AddTo(Command command)
    {
        command.Add(_equals);
        command.Add(_globs);
        command.Add(_nots);
        command.Add(_exists);
        command.Add(_githubRepo);
    }

    /// <summary>The conditions given, or null when no condition flag was used (an update keeps the binding's own).</summary>
    public JsonArray? Read(ParseResult parse)
    {
        var pairs = new List<(string Claim, string Op, JsonNode? Value)>();
        pairs.AddRange((parse.GetValue(_equals) ?? []).Select(text => Pair(text, "equals", "--claim")));
        pairs.AddRange((parse.GetValue(_globs) ?? []).Select(text => Pair(text, "glob", "--claim-glob")));
        pairs.AddRange((parse.GetValue(_nots) ?? []).Select(text => Pair(text, "not_equals", "--claim-not")));
        pairs.AddRange((parse.GetValue(_exists) ?? []).Select(claim => (claim, "exists", (JsonNode?)null)));
        if (parse.GetValue(_githubRepo) is { } repository)
        {
            pairs.AddRange(GitHubRepository.Conditions(repository).Select(c => (c.Claim, "equals", (JsonNode?)JsonValue.Create(c.Value))));
        }
        if (pairs.Count == 0)
        {
            return null;
        }

        var conditions = new JsonArray();
        foreach (var group in pairs.GroupBy(p => (p.Claim, p.Op)))
        {
            conditions.Add(new JsonObject
            {
                ["claim"] = group.Key.Claim,
                ["op"] = group.Key.Op,
                ["values"] = new JsonArray(group.Where(p => p.Value is not null).Select(p => p.Value).ToArray()),
            });
        }

        return conditions;
    }

    /// <summary>A condition as admins write it: <c>repository_id = "74"</c>, <c>ref glob "refs/heads/*"</c>.</summary>
    public static string Describe(JsonNode condition) => (string?)condition["op"] switch
    {
        "exists" => $"{condition["claim"]} exists",
        var op => $"{condition["claim"]} {op} {string.Join(" | ", condition["values"]!.AsArray().Select(v => v!.ToJsonString()))}",
    };

    private static (string Claim, string Op, JsonNode? Value) Pair(string text, string op, string flag)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0)
        {
            throw new CliException($"{flag} '{text}' is not CLAIM=VALUE", ExitCodes.Usage);
        }

        if (text[equals - 1] != ':')
        {
            return (text[..equals], op, JsonValue.Create(text[(equals + 1)..]));
        }

        try
        {
            return (text[..(equals - 1)], op, JsonNode.Parse(text[(equals + 1)..]));
        }
        catch (JsonException)
        {
            throw new CliException($"{flag} '{text}': the value after := must be JSON (a number, true, false or a quoted string)", ExitCodes.Usage);
        }
    }
}
