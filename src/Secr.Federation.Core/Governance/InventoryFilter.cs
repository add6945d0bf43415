namespace Secr.Federation.Core.Governance;

/// <summary>
/// Which identities of the inventory to show, shared by <c>GET /api/v1/nhi</c> and the console's list. A null field
/// does not filter; <see cref="Name"/> matches part of the name, ignoring case (the console's free-text search).
/// </summary>
public sealed record InventoryFilter(
    string? Type = null, string? Status = null, string? Environment = null, string? Owner = null, string? Grade = null, string? Name = null)
{
    public bool Matches(InventoryItem item) =>
        (Type is null || item.Identity.Type == Type) && (Status is null || item.Identity.Status == Status) &&
        (Environment is null || item.Identity.Environment == Environment) && (Owner is null || item.OwnerEmail == Owner) &&
        (Grade is null || item.Posture.Grade?.ToString() == Grade) &&
        (Name is null || item.Identity.Name.Contains(Name, StringComparison.OrdinalIgnoreCase));
}
