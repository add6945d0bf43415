using System.Security.Cryptography;
using System.Text;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.Keys;

namespace Secr.Federation.Core.Federation.SubjectTokens;

/// <summary>
/// Validates a workload's subject token strictly (RFC 8725; shared/reference/jwt-attacks.md). Cheap structural,
/// header and claim checks run first; the issuer is chosen by exact <c>iss</c> among admin-registered issuers
/// before any network call; keys come only from that issuer's key set.
/// </summary>
public sealed class SubjectTokenValidator(IssuerKeyCache keys, TimeProvider clock)
{
    public async ValueTask<SubjectTokenValidation> ValidateAsync(string? token, TrustSnapshot trust, string defaultAudience, CancellationToken cancellationToken)
    {
        if (!JwtReader.TryRead(token, out var jwt, out var refusal))
        {
            return SubjectTokenValidation.Refused(refusal!, null, null);
        }

        var iss = jwt!.ClaimString("iss");
        var issuer = iss is null ? null : trust.FindIssuer(iss);
        if (issuer is null)
        {
            return SubjectTokenValidation.Refused(new(RefusalCode.SubjectTokenUntrustedIssuer, $"iss {(iss is null ? "is missing or not a string" : $"'{HeaderRules.Whole(iss)}' is not a registered issuer")}"), null, jwt);
        }

        refusal = HeaderRules.Check(jwt, issuer) ?? ClaimRules.Check(jwt.Payload, issuer, issuer.RequiredAudience ?? defaultAudience, clock.GetUtcNow());
        if (refusal is not null)
        {
            return SubjectTokenValidation.Refused(refusal, issuer, jwt);
        }

        refusal = await VerifySignatureAsync(jwt, issuer, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return SubjectTokenValidation.Refused(refusal, issuer, jwt);
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(jwt.Payload.GetProperty("exp").GetInt64());
        return SubjectTokenValidation.Accepted(new ValidatedSubjectToken(issuer, jwt.ClaimString("sub")!, jwt.Payload, expiresAt, ReplayKey(jwt, issuer)), jwt);
    }

    private async ValueTask<SubjectTokenRefusal?> VerifySignatureAsync(ParsedJwt jwt, TrustedIssuer issuer, CancellationToken cancellationToken)
    {
        var alg = jwt.HeaderString("alg")!;
        var kid = jwt.HeaderString("kid");
        var lookup = await keys.FindAsync(issuer, kid, cancellationToken).ConfigureAwait(false);
        if (lookup.Keys is null)
        {
            return new(lookup.FailureCode!, lookup.FailureDetail!);
        }

        var candidates = lookup.Keys.Candidates(kid, alg).ToList();
        if (kid is null && candidates.Count != 1)
        {
            // Without a kid only an unambiguous key is tried; trying every key blindly is refused (jwt-attacks #3).
            return new(RefusalCode.SubjectTokenKid, $"the token has no kid and the issuer has {candidates.Count} keys for {alg}");
        }

        if (candidates.Count == 0)
        {
            return new(RefusalCode.SubjectTokenKeyMismatch, $"the key '{kid}' does not fit alg {alg} (type, curve or the key's own alg differ)");
        }

        return candidates.Any(key => key.Verify(alg, jwt.SigningInput, jwt.Signature))
            ? null
            : new(RefusalCode.SubjectTokenSignature, "the signature does not verify with the issuer's key");
    }

    /// <summary>
    /// Replay key: (issuer, jti), or (issuer, hash of the signed content) where the platform sends no jti (GCP),
    /// jwt-attacks #17. The signed content is the JWS signing input (header.payload, RFC 7515 §5.2), never the whole
    /// token: a signature is not unique to what it signs (ECDSA's s and n − s both verify, and ECDSA and RSA-PSS sign
    /// with fresh randomness), so keying on the token's text would let a re-signed or malleated copy pass as new.
    /// </summary>
    private static string? ReplayKey(ParsedJwt jwt, TrustedIssuer issuer)
    {
        if (issuer.ReplayPolicy == ReplayPolicy.Reusable)
        {
            return null;
        }

        string identifier;
        if (jwt.ClaimString("jti") is { Length: > 0 } jti)
        {
            identifier = "jti:" + jti;
        }
        else
        {
            // The signing input is already held as bytes; hashing it into the stack allocates nothing but the hex.
            Span<byte> content = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(jwt.SigningInput, content);
            identifier = "sha256:" + Convert.ToHexString(content);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(issuer.IssuerUrl + "\n" + identifier)));
    }
}

/// <summary>The outcome of validating a subject token; <see cref="Jwt"/> is kept for the explain endpoint and the audit.</summary>
public sealed record SubjectTokenValidation(ValidatedSubjectToken? Token, SubjectTokenRefusal? Refusal, TrustedIssuer? Issuer, ParsedJwt? Jwt)
{
    public static SubjectTokenValidation Accepted(ValidatedSubjectToken token, ParsedJwt jwt) => new(token, null, token.Issuer, jwt);

    public static SubjectTokenValidation Refused(SubjectTokenRefusal refusal, TrustedIssuer? issuer, ParsedJwt? jwt) => new(null, refusal, issuer, jwt);
}
