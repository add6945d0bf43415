using Secr.Federation.Core.Identities;

namespace Secr.Federation.Server.WebConsole;

/// <summary>
/// The registered kinds of identity as the console names them (<see cref="IIdentityKindDetail"/>), in registration
/// order; a kind without a console detail is named by its type. Pages have it as <c>IdentityTypes</c> (_ViewImports).
/// </summary>
public sealed class ConsoleKinds(IdentityKinds kinds, IEnumerable<IIdentityKindDetail> details)
{
    public sealed record Kind(string Key, string Singular, string Plural, IIdentityKindDetail? Detail);

    public IReadOnlyList<Kind> All { get; } = kinds.All
        .Select(k => details.FirstOrDefault(d => d.Type == k.Type) is { } detail ? new Kind(k.Type, detail.Singular, detail.Plural, detail) : new Kind(k.Type, k.Type, k.Type, null))
        .ToList();

    public Kind? Find(string? type) => All.FirstOrDefault(k => k.Key == type);

    public string Label(string? type) => Find(type)?.Singular ?? type ?? "";
}
