using Secr.Cli.Infrastructure;
using Secr.Federation.Core.Federation.Bindings;

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
        // The same parse as the server's for a sub's repository part; '*' stands for any repository, so it takes no id.
        if (!GitHubSubject.TryParseRepository(text, out var repository) || (repository.Repository == "*" && repository.RepositoryId is not null))
        {
            throw new CliException($"{Usage}; got '{text}'", ExitCodes.Usage);
        }

        var conditions = new List<(string, string)>();
        if (repository.OwnerId is { } ownerId)
        {
            conditions.Add(("repository_owner_id", ownerId));
        }

        if (repository.Repository == "*")
        {
            if (repository.OwnerId is null)
            {
                conditions.Add(("repository_owner", repository.Owner));
            }
        }
        else
        {
            conditions.Add(repository.RepositoryId is { } repositoryId ? ("repository_id", repositoryId) : ("repository", $"{repository.Owner}/{repository.Repository}"));
        }

        return conditions;
    }
}
