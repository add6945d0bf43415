using Secr.Federation.Core.Governance;

namespace Secr.Federation.Core.Tests.Support;

/// <summary>Current grades as a test sets them: each identity's inventory item by type and id; <see cref="None"/> knows none.</summary>
public sealed class FixedGrades(params InventoryItem[] items) : ICurrentGrades
{
    public static readonly FixedGrades None = new();

    /// <summary>How many lookups were made: none while min-grade is off.</summary>
    public int Lookups { get; private set; }

    public ValueTask<InventoryItem?> FindAsync(string type, string id, CancellationToken cancellationToken)
    {
        Lookups++;
        return ValueTask.FromResult(items.FirstOrDefault(i => i.Identity.Type == type && i.Identity.Id == id));
    }
}
