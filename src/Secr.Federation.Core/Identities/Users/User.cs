namespace Secr.Federation.Core.Identities.Users;

public enum UserRole
{
    Member,
    Admin,
}

/// <summary>A human who owns identities and, through personal tokens, administers the server.</summary>
public sealed record User
{
    public required string Id { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public required UserRole Role { get; init; }
    public required bool Offboarded { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? OffboardedAt { get; init; }
}
