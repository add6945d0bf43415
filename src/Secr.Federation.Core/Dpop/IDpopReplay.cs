namespace Secr.Federation.Core.Dpop;

/// <summary>
/// The proofs already used (RFC 9449 §11.1), shared by every node: a proof is accepted once. A proof's id is
/// remembered until it would be refused as too old anyway.
/// </summary>
public interface IDpopReplay
{
    /// <summary>Records <paramref name="proof"/> as used; false when it was used before, on this node or another.</summary>
    Task<bool> TryUseAsync(DpopProof proof, DateTimeOffset forgetAfter, CancellationToken cancellationToken);
}
