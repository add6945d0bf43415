namespace Secr.Federation.Data.Cluster;

/// <summary>Which node runs a background job until when (see <see cref="JobLeases"/>).</summary>
public sealed class LeaseEntity
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
