using System.Text.Json;

namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>
/// GitHub's two <c>sub</c> forms judged as one (<see cref="GitHubSubject"/>). A condition in either form matches a
/// token in either form:
/// <list type="bullet">
/// <item>a condition in the immutable form holds only when the token's ids agree with it, taken from its <c>sub</c> or,
/// for a token in the legacy form, from its <c>repository_owner_id</c> and <c>repository_id</c> claims; the names are
/// not compared, because a rename keeps the ids and a re-registered name does not;</item>
/// <item>a condition in the legacy form compares the names, as it always did;</item>
/// <item>the context is compared as written (equal, or the glob's segments).</item>
/// </list>
/// A token whose immutable <c>sub</c> disagrees with its own id claims matches nothing. Both sides in the legacy form
/// are left to the plain string comparison.
/// </summary>
public sealed class GitHubSubjectForms : ISubjectForms
{
    public static readonly GitHubSubjectForms Instance = new();

    private GitHubSubjectForms()
    {
    }

    public (bool Passed, string Reason)? Compare(BindingCondition condition, string subject, JsonElement claims)
    {
        if (!GitHubSubject.TryParse(subject, out var token) || (token.OwnerId is null) != (token.RepositoryId is null))
        {
            return null;
        }

        var patterns = condition.Values.Where(v => v.Kind == JsonValueKind.String)
            .Select(v => GitHubSubject.TryParse(v.Text, out var pattern) ? pattern : null).OfType<GitHubSubject>().ToList();
        if (patterns.Count == 0 || (!token.IsImmutable && patterns.All(p => p.OwnerId is null && p.RepositoryId is null)))
        {
            return null;
        }

        var ownerId = Claim(claims, "repository_owner_id");
        var repositoryId = Claim(claims, "repository_id");
        if (token.IsImmutable && ((ownerId is not null && ownerId != token.OwnerId) || (repositoryId is not null && repositoryId != token.RepositoryId)))
        {
            return (false, $"the token's sub names owner id {token.OwnerId} and repository id {token.RepositoryId}, " +
                $"but its repository_owner_id is {ownerId ?? "(absent)"} and its repository_id {repositoryId ?? "(absent)"}");
        }

        var actual = token.IsImmutable ? (token.OwnerId, token.RepositoryId, "from its sub") : (ownerId, repositoryId, "from its repository_owner_id and repository_id claims");
        var glob = condition.Operator == ConditionOperator.Glob;
        (bool Passed, string Reason) first = default;
        foreach (var pattern in patterns)
        {
            var (passed, why) = Judge(pattern, token, actual, glob);
            var reason = $"condition in the {pattern.Form} form, token in the {token.Form} form: {why}";
            if (passed)
            {
                return (true, reason);
            }

            first = first.Reason is null ? (false, reason) : first;
        }

        return first;
    }

    public bool PinsImmutableIds(ClaimValue value) =>
        value.Kind == JsonValueKind.String && GitHubSubject.TryParse(value.Text, out var subject) && subject.IsImmutable;

    /// <summary>Each part the condition names by id is compared by id; the others by name; then the context.</summary>
    private static (bool Passed, string Reason) Judge(GitHubSubject pattern, GitHubSubject token, (string? OwnerId, string? RepositoryId, string Source) actual, bool glob)
    {
        var (ids, names) = (new List<string>(), new List<string>());
        foreach (var (noun, wantedId, actualId, wantedName, actualName) in new[]
                 {
                     ("owner", pattern.OwnerId, actual.OwnerId, pattern.Owner, token.Owner),
                     ("repository", pattern.RepositoryId, actual.RepositoryId, pattern.Repository, token.Repository),
                 })
        {
            if (wantedId is not null)
            {
                if (actualId != wantedId)
                {
                    return (false, $"{noun} id {actualId ?? "(absent)"} ({actual.Source}) is not {wantedId}: another {noun}, whatever its name");
                }

                ids.Add($"{noun} id {wantedId}");
            }
            else if (glob && wantedName == "*")
            {
                names.Add($"any {noun}");
            }
            else if (string.Equals(wantedName, actualName, StringComparison.Ordinal))
            {
                names.Add($"{noun} {actualName} by name");
            }
            else
            {
                return (false, $"{noun} {actualName} is not {wantedName}");
            }
        }

        var identity = ids.Count == 0 ? string.Join(" and ", names)
            : $"{string.Join(" and ", ids)} {(ids.Count > 1 ? "agree" : "agrees")} ({actual.Source}){(names.Count == 0 ? "; names not compared" : ", " + string.Join(" and ", names))}";
        var context = glob ? SegmentGlob.IsMatch(pattern.Context, token.Context) : string.Equals(pattern.Context, token.Context, StringComparison.Ordinal);
        return context
            ? (true, $"{identity}; context {token.Context} {(glob ? "matches" : "equal")}")
            : (false, $"{identity}, but context {token.Context} {(glob ? "does not match" : "is not")} {pattern.Context}");
    }

    private static string? Claim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
