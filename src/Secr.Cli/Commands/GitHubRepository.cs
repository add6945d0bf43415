using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary>
/// <c>--github-repo</c>: a GitHub repository written as the immutable <c>sub</c> writes it, turned into the conditions
/// that pin it. An id pins what a name cannot (names are renamed, transferred and registered again), so each id given
/// becomes an <c>equals</c> on <c>repository_owner_id</c> or <c>repository_id</c> (strings, as GitHub sends them); a
/// name is written only where no id stands for it.
/// </summary>
internal static class GitHubRepository
{
    private const string Usage = "--github-repo takes OWNER@OWNER_ID/REPO@REPO_ID, OWNER/REPO@REPO_ID, OWNER@OWNER_ID/* or OWNER/REPO (ids are decimal)";

    public static IReadOnlyList<(string Claim, string Value)> Conditions(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            throw new CliException($"{Usage}; got '{text}'", ExitCodes.Usage);
        }

        var (owner, ownerId) = Split(text[..slash], text);
        var (repository, repositoryId) = Split(text[(slash + 1)..], text);
        var conditions = new List<(string, string)>();
        if (ownerId is not null)
        {
            conditions.Add(("repository_owner_id", ownerId));
        }

        if (repository == "*")
        {
            if (ownerId is null)
            {
                conditions.Add(("repository_owner", owner));
            }
        }
        else if (repositoryId is not null)
        {
            conditions.Add(("repository_id", repositoryId));
        }
        else
        {
            conditions.Add(("repository", $"{owner}/{repository}"));
        }

        return conditions;
    }

    private static (string Name, string? Id) Split(string part, string text)
    {
        var at = part.IndexOf('@');
        var (name, id) = at < 0 ? (part, null) : (part[..at], part[(at + 1)..]);
        if (name.Length == 0 || (id is not null && (id.Length is 0 or > 20 || !id.All(char.IsAsciiDigit))) || (name == "*" && id is not null))
        {
            throw new CliException($"{Usage}; got '{text}'", ExitCodes.Usage);
        }

        return (name, id);
    }
}
