using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Federation;

/// <summary>
/// An immutable view of the trust configuration (issuers and bindings) that one exchange reads from start to end,
/// so an admin's concurrent edit can never produce a half-old, half-new decision.
/// </summary>
public sealed class TrustSnapshot
{
    private readonly Dictionary<string, TrustedIssuer> _issuersByUrl;
    private readonly Dictionary<string, IReadOnlyList<TrustBinding>> _bindingsByIssuer;

    public TrustSnapshot(IEnumerable<TrustedIssuer> issuers, IEnumerable<TrustBinding> bindings)
    {
        Issuers = issuers.ToList();
        _issuersByUrl = Issuers.ToDictionary(i => i.IssuerUrl, StringComparer.Ordinal);
        _bindingsByIssuer = bindings.GroupBy(b => b.IssuerId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TrustBinding>)g.OrderBy(b => b.Name, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyList<TrustedIssuer> Issuers { get; }

    /// <summary>Exact ordinal lookup: <c>https://x/</c>, <c>HTTPS://X</c> and <c>https://x</c> are three different issuers (jwt-attacks #7).</summary>
    public TrustedIssuer? FindIssuer(string issuerUrl) => _issuersByUrl.GetValueOrDefault(issuerUrl);

    public IReadOnlyList<TrustBinding> BindingsOf(string issuerId) => _bindingsByIssuer.GetValueOrDefault(issuerId) ?? [];

    public TrustBinding? FindBinding(string id) => _bindingsByIssuer.Values.SelectMany(b => b).FirstOrDefault(b => b.Id == id);
}

/// <summary>Supplies the current <see cref="TrustSnapshot"/>; implementations cache it and rebuild it after a change.</summary>
public interface ITrustRegistry
{
    ValueTask<TrustSnapshot> GetSnapshotAsync(CancellationToken cancellationToken);
}
