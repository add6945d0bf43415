namespace Secr.Federation.Data.Users;

public sealed class UserEntity
{
    public required string Id { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public required string Role { get; set; }
    public bool Offboarded { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? OffboardedAt { get; set; }
}

/// <summary>A human's personal admin credential (<c>secr_pat_…</c>), stored as a digest.</summary>
public sealed class PersonalTokenEntity
{
    public required string Digest { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
