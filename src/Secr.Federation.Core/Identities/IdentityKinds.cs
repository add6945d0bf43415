using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Identities;

/// <summary>
/// The registered kinds of identity, the one list everything else asks. Two kinds may not share a type, a grant type
/// or a credential prefix: the server refuses to start rather than route a credential to the wrong kind.
/// </summary>
public sealed class IdentityKinds
{
    private readonly Dictionary<string, IIdentityKind> _byType;
    private readonly Dictionary<string, IIdentityKind> _byGrantType;

    public IdentityKinds(IEnumerable<IIdentityKind> kinds)
    {
        All = kinds.ToList();
        _byType = Unique(All, k => k.Type, "type");
        _byGrantType = Unique(All, k => k.GrantType, "grant type");
        var prefixes = All.Where(k => k.CredentialPrefix is not null).ToList();
        if (prefixes.FirstOrDefault(k => prefixes.Any(o => o != k && o.CredentialPrefix!.StartsWith(k.CredentialPrefix!, StringComparison.Ordinal))) is { } ambiguous)
        {
            throw new InvalidOperationException($"identity kind '{ambiguous.Type}': its credential prefix '{ambiguous.CredentialPrefix}' is also the start of another kind's");
        }
    }

    /// <summary>In registration order, the order users are told them.</summary>
    public IReadOnlyList<IIdentityKind> All { get; }

    /// <summary>The kinds as an error names them: "machine_token, agent or oidc_binding".</summary>
    public string Listed => Choices.Listed(All.Select(k => k.Type).ToList());

    public IIdentityKind? ForType(string? type) => type is not null && _byType.TryGetValue(type, out var kind) ? kind : null;

    public IIdentityKind? ForGrantType(string? grantType) => grantType is not null && _byGrantType.TryGetValue(grantType, out var kind) ? kind : null;

    /// <summary>The kind whose credential <paramref name="credential"/> is, by its prefix; null for anything else (an access token).</summary>
    public IIdentityKind? ForCredential(string credential)
    {
        foreach (var kind in All)
        {
            if (kind.CredentialPrefix is { } prefix && credential.StartsWith(prefix, StringComparison.Ordinal))
            {
                return kind;
            }
        }

        return null;
    }

    private static Dictionary<string, IIdentityKind> Unique(IReadOnlyList<IIdentityKind> kinds, Func<IIdentityKind, string> key, string what)
    {
        var map = new Dictionary<string, IIdentityKind>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            if (!map.TryAdd(key(kind), kind))
            {
                throw new InvalidOperationException($"two identity kinds have the {what} '{key(kind)}'");
            }
        }

        return map;
    }
}
