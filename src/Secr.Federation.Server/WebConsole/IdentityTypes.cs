using Secr.Federation.Core.Identities;

namespace Secr.Federation.Server.WebConsole;

/// <summary>The three kinds of non-human identity, as the console names them.</summary>
public static class IdentityTypes
{
    public sealed record Kind(string Key, string Singular, string Plural);

    public static readonly IReadOnlyList<Kind> All =
    [
        new(IdentityType.MachineToken, "Machine token", "Machine tokens"),
        new(IdentityType.Agent, "Agent", "Agents"),
        new(IdentityType.OidcBinding, "Binding", "Bindings (tokenless)"),
    ];

    public static string Label(string? type) => All.FirstOrDefault(k => k.Key == type)?.Singular ?? type ?? "";
}
