namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>
/// A GitHub Actions <c>sub</c> in either of its forms: the legacy <c>repo:OWNER/REPO:CONTEXT</c>, or the immutable
/// <c>repo:OWNER@OWNER_ID/REPO@REPO_ID:CONTEXT</c> (the default for repositories created or renamed since
/// 2026-07-15). The context (<c>ref:refs/heads/main</c>, <c>environment:prod</c>, <c>pull_request</c>) is the same in
/// both. A condition may give one id and not the other (<c>repo:OWNER@OWNER_ID/*:…</c>, any repository of that owner),
/// and in a glob a name or the context may hold <c>*</c> segments; an id never does. A token has both ids or neither.
/// </summary>
public sealed record GitHubSubject(string Owner, string? OwnerId, string Repository, string? RepositoryId, string Context)
{
    private const string Prefix = "repo:";

    /// <summary>Both ids present: the form that names the repository by what renames and re-registrations cannot change.</summary>
    public bool IsImmutable => OwnerId is not null && RepositoryId is not null;

    /// <summary>How the subject is written: with ids (all, or a condition's owner id alone) or without.</summary>
    public string Form => OwnerId is null && RepositoryId is null ? "legacy" : "immutable";

    public static bool TryParse(string text, out GitHubSubject subject)
    {
        subject = null!;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var slash = text.IndexOf('/', Prefix.Length);
        var colon = slash < 0 ? -1 : text.IndexOf(':', slash);
        if (colon < 0 || colon == text.Length - 1 || !TryParseRepository(text[Prefix.Length..colon], out var repository))
        {
            return false;
        }

        subject = repository with { Context = text[(colon + 1)..] };
        return true;
    }

    /// <summary>
    /// The repository part alone, <c>OWNER[@OWNER_ID]/REPO[@REPO_ID]</c>, as the CLI's <c>--github-repo</c> takes it; the
    /// context is empty.
    /// </summary>
    public static bool TryParseRepository(string text, out GitHubSubject repository)
    {
        repository = null!;
        var slash = text.IndexOf('/');
        if (slash < 0 || text.IndexOf('/', slash + 1) >= 0 ||
            !TrySplit(text[..slash], out var owner, out var ownerId) || !TrySplit(text[(slash + 1)..], out var name, out var id))
        {
            return false;
        }

        repository = new GitHubSubject(owner, ownerId, name, id, "");
        return true;
    }

    public override string ToString() => $"{Prefix}{Part(Owner, OwnerId)}/{Part(Repository, RepositoryId)}:{Context}";

    private static string Part(string name, string? id) => id is null ? name : $"{name}@{id}";

    /// <summary><c>NAME</c> or <c>NAME@ID</c>, the id all decimal digits; a name is never empty and holds no <c>@</c>.</summary>
    private static bool TrySplit(string part, out string name, out string? id)
    {
        var at = part.IndexOf('@');
        (name, id) = at < 0 ? (part, null) : (part[..at], part[(at + 1)..]);
        return name.Length > 0 && (id is null || (id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit)));
    }
}
