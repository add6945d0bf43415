namespace Secr.Federation.Core.Governance;

/// <summary>
/// Each identity's current grade and findings, as posture shows them, for the <c>min-grade</c> gate that every request
/// passes. Implementations may serve them a few seconds stale, but grade an identity created since at once.
/// </summary>
public interface ICurrentGrades
{
    /// <summary>The identity of <paramref name="type"/> with <paramref name="id"/>, graded; null when there is none.</summary>
    ValueTask<InventoryItem?> FindAsync(string type, string id, CancellationToken cancellationToken);
}
