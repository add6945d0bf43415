using Secr.Federation.Core.Federation;

namespace Secr.Federation.Micro.Fakes;

/// <summary>
/// Hands out one fixed trust snapshot. The server's registry also returns a cached snapshot on every exchange and only
/// reads the database after an admin change, so this is its steady state.
/// </summary>
internal sealed class StaticTrustRegistry(TrustSnapshot snapshot) : ITrustRegistry
{
    public ValueTask<TrustSnapshot> GetSnapshotAsync(CancellationToken cancellationToken) => ValueTask.FromResult(snapshot);
}
