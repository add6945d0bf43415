using Secr.Federation.Core.Governance;

namespace Secr.Federation.Micro.Fakes;

/// <summary>No identity graded: with no <c>min-grade</c> policy the guards never ask, as in production with the policy off.</summary>
internal sealed class NoGrades : ICurrentGrades
{
    public ValueTask<InventoryItem?> FindAsync(string type, string id, CancellationToken cancellationToken) => ValueTask.FromResult<InventoryItem?>(null);
}
