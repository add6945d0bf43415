using System.Security.Cryptography;

namespace Secr.Federation.Core.Federation.Keys;

/// <summary>
/// One public verification key of a trusted issuer. The algorithm a token names must fit the key's type and curve
/// (no HMAC from a public key, no ES256 with a P-384 key: jwt-attacks #2); an HMAC or 'none' key never exists here.
/// </summary>
public sealed class IssuerKey
{
    private const int MinRsaBits = 2048;

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private IssuerKey(string? kid, string? alg, RSA? rsa, ECDsa? ecdsa, string? curve)
    {
        Kid = kid;
        Alg = alg;
        _rsa = rsa;
        _ecdsa = ecdsa;
        Curve = curve;
    }

    public string? Kid { get; }

    /// <summary>The JWK's own <c>alg</c>, when it has one (AWS's keys do not: the type decides).</summary>
    public string? Alg { get; }

    public string? Curve { get; }

    public bool IsRsa => _rsa is not null;

    public static IssuerKey ForRsa(string? kid, string? alg, RSAParameters parameters)
    {
        var rsa = RSA.Create(parameters);

        // KeySize counts the modulus's significant bits: leading zero bytes cannot pad a small key past the minimum.
        if (rsa.KeySize < MinRsaBits)
        {
            rsa.Dispose();
            throw new CryptographicException($"RSA keys must have at least {MinRsaBits} bits");
        }

        return new IssuerKey(kid, alg, rsa, null, null);
    }

    public static IssuerKey ForEc(string? kid, string? alg, string curve, ECParameters parameters)
    {
        parameters.Validate();
        return new IssuerKey(kid, alg, null, ECDsa.Create(parameters), curve);
    }

    /// <summary>True when a token signed with <paramref name="alg"/> may be verified by this key.</summary>
    public bool Fits(string alg)
    {
        if (Alg is not null && !string.Equals(Alg, alg, StringComparison.Ordinal))
        {
            return false;
        }

        return alg switch
        {
            "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => IsRsa,
            "ES256" => Curve == "P-256",
            "ES384" => Curve == "P-384",
            "ES512" => Curve == "P-521",
            _ => false,
        };
    }

    public bool Verify(string alg, byte[] signingInput, byte[] signature)
    {
        if (!Fits(alg))
        {
            return false;
        }

        var hash = alg[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };

        if (_ecdsa is not null)
        {
            // JWS ECDSA signatures are r||s of fixed width (RFC 7518 §3.4); all-zero halves are the
            // "psychic signature" (CVE-2022-21449) and are refused before the library sees them.
            var half = (_ecdsa.KeySize + 7) / 8;
            if (signature.Length != 2 * half || IsZero(signature.AsSpan(0, half)) || IsZero(signature.AsSpan(half)))
            {
                return false;
            }

            return _ecdsa.VerifyData(signingInput, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        var padding = alg[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return signature.Length == _rsa!.KeySize / 8 && _rsa.VerifyData(signingInput, signature, hash, padding);
    }

    /// <summary>
    /// Verifies an ECDSA P-256 / SHA-256 signature in DER (RFC 3279 <c>Ecdsa-Sig-Value</c>) over <paramref name="data"/>:
    /// the form GitHub signs secret-scanning reports in, unlike JWS's fixed-width r||s.
    /// </summary>
    public bool VerifyDerP256(byte[] data, byte[] signature)
    {
        if (_ecdsa is null || Curve != "P-256" || (Alg is not null && Alg != "ES256"))
        {
            return false;
        }

        try
        {
            return _ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // Not DER at all: a forgery as much as a wrong signature is.
            return false;
        }
    }

    private static bool IsZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;
}
