namespace Secr.Federation.Core.Governance;

/// <summary>One identity in the inventory: its facts, its grade, and its owner's email.</summary>
public sealed record InventoryItem(NhiRecord Identity, Posture Posture, string? OwnerEmail);
