namespace Secr.Federation.Data.Revocation;

/// <summary>
/// One entry of the revocation list (<see cref="Core.Revocation.GrantRevocation"/>): a grant, or (grant id null) every
/// token of an identity issued at or before <see cref="RevokedAtTicks"/>. Times are UTC ticks, compared as integers on
/// every provider.
/// </summary>
public sealed class RevokedGrantEntity
{
    public long Id { get; set; }
    public string? GrantId { get; set; }
    public required string IdentityType { get; set; }
    public required string IdentityId { get; set; }
    public long RevokedAtTicks { get; set; }
    public long KeepUntilTicks { get; set; }
}
