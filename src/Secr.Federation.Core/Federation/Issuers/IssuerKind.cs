namespace Secr.Federation.Core.Federation.Issuers;

/// <summary>The platform an issuer belongs to; it selects the preset (algorithms, claim aliases, tenant-pinning rules).</summary>
public enum IssuerKind
{
    Generic,
    GitHub,
    GitLab,
    Kubernetes,
    Gcp,
    Aws,
}

public static class IssuerKindText
{
    public static string ToText(this IssuerKind kind) => kind switch
    {
        IssuerKind.GitHub => "github",
        IssuerKind.GitLab => "gitlab",
        IssuerKind.Kubernetes => "kubernetes",
        IssuerKind.Gcp => "gcp",
        IssuerKind.Aws => "aws",
        _ => "generic",
    };

    public static bool TryParse(string? text, out IssuerKind kind)
    {
        foreach (var candidate in Enum.GetValues<IssuerKind>())
        {
            if (string.Equals(candidate.ToText(), text, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = IssuerKind.Generic;
        return false;
    }
}
