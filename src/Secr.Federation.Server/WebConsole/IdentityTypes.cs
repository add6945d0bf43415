using Secr.Federation.Core.Identities;

namespace Secr.Federation.Server.WebConsole;

/// <summary>The three kinds of non-human identity, named as the CLI names them (<c>secr oidc binding</c>, <c>nhi</c>).</summary>
public static class IdentityTypes
{
    public sealed record Kind(string Key, string Singular, string Plural);

    public static readonly IReadOnlyList<Kind> All =
    [
        new(IdentityType.MachineToken, "Machine token", "Machine tokens"),
        new(IdentityType.Agent, "Agent", "Agents"),
        new(IdentityType.OidcBinding, "OIDC binding", "OIDC bindings (tokenless)"),
    ];

    public static string Label(string? type) => All.FirstOrDefault(k => k.Key == type)?.Singular ?? type ?? "";
}
