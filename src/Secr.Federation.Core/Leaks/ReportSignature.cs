using Secr.Federation.Core.Federation.Keys;

namespace Secr.Federation.Core.Leaks;

/// <summary>Whether a report's signature holds, and if not why (for the audit; the sender learns only that it was refused).</summary>
public sealed record SignatureVerdict(bool Valid, bool KeysUnavailable, string Detail)
{
    public static readonly SignatureVerdict Verified = new(true, false, "signature verified");

    public static SignatureVerdict Refused(string detail) => new(false, false, detail);
}

/// <summary>
/// GitHub's signature on a secret-scanning report: <c>Github-Public-Key-Signature</c> is a base64 DER ECDSA P-256 /
/// SHA-256 signature over the raw body bytes, by the key <c>Github-Public-Key-Identifier</c> names in the published
/// keys document. An unknown identifier refreshes the keys at most once per cooldown (jwt-attacks #3), then is refused.
/// </summary>
public sealed class ReportSignature(IssuerKeyCache keys, SecretScanningSettings settings)
{
    public const string KeyIdentifierHeader = "Github-Public-Key-Identifier";
    public const string SignatureHeader = "Github-Public-Key-Signature";
    private const int MaxHeaderLength = 1024;

    public async Task<SignatureVerdict> VerifyAsync(string? keyIdentifier, string? signature, byte[] body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(keyIdentifier) || string.IsNullOrEmpty(signature))
        {
            return SignatureVerdict.Refused($"unsigned: the {KeyIdentifierHeader} and {SignatureHeader} headers are both required");
        }

        if (keyIdentifier.Length > MaxHeaderLength || signature.Length > MaxHeaderLength)
        {
            return SignatureVerdict.Refused("the signature headers are too long to be GitHub's");
        }

        var der = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, der, out var length))
        {
            return SignatureVerdict.Refused($"{SignatureHeader} is not base64");
        }

        var lookup = await keys.FindAsync(settings.KeySource(), keyIdentifier, cancellationToken);
        if (lookup.Keys is null)
        {
            var unavailable = lookup.FailureCode == Admission.RefusalCode.IssuerKeysUnavailable;
            return new SignatureVerdict(false, unavailable, unavailable
                ? $"the signing keys at {settings.KeysUrl} could not be fetched: {lookup.FailureDetail}"
                : $"key identifier not published at {settings.KeysUrl}: {lookup.FailureDetail}");
        }

        var key = lookup.Keys.Keys.First(k => string.Equals(k.Kid, keyIdentifier, StringComparison.Ordinal));
        return key.VerifyDerP256(body, der[..length])
            ? SignatureVerdict.Verified
            : SignatureVerdict.Refused("the signature does not verify over the body with the key it names");
    }
}
