namespace Secr.Federation.Data.Dpop;

/// <summary>A DPoP proof already used: its key (a digest of the signing key's thumbprint and the proof's <c>jti</c>) until it would be refused as too old anyway.</summary>
public sealed class DpopProofEntity
{
    public required string Key { get; set; }

    /// <summary>UTC ticks, so expiry compares as a plain integer on every provider.</summary>
    public long KeepUntilTicks { get; set; }
}
