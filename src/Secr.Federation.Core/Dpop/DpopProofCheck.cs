namespace Secr.Federation.Core.Dpop;

/// <summary>
/// The whole check of a request's DPoP proof, for the token endpoint and the secrets API alike: exactly one
/// <c>DPoP</c> header (RFC 9449 §4.3 step 1), a valid proof (<see cref="DpopProofValidator"/>, with the server's nonce
/// when it demands one, <see cref="DpopNonces"/>), and, only then, not used before on any node (<see cref="IDpopReplay"/>),
/// so an invalid proof never fills the replay store.
/// </summary>
public sealed class DpopProofCheck(DpopProofValidator validator, IDpopReplay replay, DpopNonces nonces, DpopSettings settings)
{
    /// <param name="proofs">The request's <c>DPoP</c> header values.</param>
    /// <param name="request">What the proof must match; its nonce rule is this server's.</param>
    public async Task<DpopValidation> CheckAsync(IReadOnlyList<string?> proofs, DpopRequest request, CancellationToken cancellationToken)
    {
        var checkedProof = proofs.Count == 1
            ? validator.Validate(proofs[0], request with { Nonce = nonces.Demanded })
            : DpopValidation.Refused(proofs.Count == 0 ? "no DPoP proof" : "more than one DPoP header");
        if (checkedProof.Proof is not { } proof)
        {
            return checkedProof;
        }

        // A proof is accepted while its iat is within the window, so it is remembered until then.
        return await replay.TryUseAsync(proof, proof.IssuedAt.AddSeconds(settings.MaxAgeSeconds), cancellationToken)
            ? checkedProof
            : DpopValidation.Refused("the DPoP proof was used before: make a new one for each request");
    }
}
