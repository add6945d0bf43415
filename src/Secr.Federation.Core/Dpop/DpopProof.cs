namespace Secr.Federation.Core.Dpop;

/// <summary>A proof that passed every check but replay: its key's thumbprint, its id and when it was made.</summary>
/// <param name="Thumbprint">The RFC 7638 thumbprint of the proof's key: what a bound token's <c>cnf.jkt</c> names.</param>
public sealed record DpopProof(string Jti, string Thumbprint, DateTimeOffset IssuedAt);

/// <summary>What a proof must match: the request it came with and, at a resource, the access token it accompanies and the bound key.</summary>
/// <param name="Uri">The request's URI; its query and fragment are ignored (RFC 9449 §4.3, <c>htu</c>).</param>
/// <param name="AccessToken">At a resource: the token the proof must name by hash (<c>ath</c>). Null at the token endpoint.</param>
/// <param name="BoundThumbprint">At a resource: the token's <c>cnf.jkt</c>, which the proof's key must have.</param>
/// <param name="Nonce">When the server demands nonces (RFC 9449 §8): whether the proof's <c>nonce</c> is one it issued and still accepts.</param>
public sealed record DpopRequest(string Method, Uri Uri, string? AccessToken = null, string? BoundThumbprint = null, Func<string?, bool>? Nonce = null);

/// <summary>A proof judged: the proof, or why it was refused; <see cref="NonceRequired"/> when it lacks the nonce the server demands (RFC 9449 §8).</summary>
public sealed record DpopValidation(DpopProof? Proof, string? Error, bool NonceRequired = false)
{
    public static DpopValidation Refused(string error) => new(null, error);
}
