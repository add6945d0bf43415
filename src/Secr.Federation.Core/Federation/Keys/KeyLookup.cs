using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Federation.Keys;

/// <summary>The result of asking for an issuer's keys: the key set, or why there is none to use.</summary>
public sealed record KeyLookup(IssuerKeySet? Keys, RefusalCode? FailureCode, string? FailureDetail)
{
    public static KeyLookup Found(IssuerKeySet keys) => new(keys, null, null);

    public static KeyLookup UnknownKid(string detail) => new(null, RefusalCode.SubjectTokenUnknownKid, detail);

    public static KeyLookup Unavailable(string detail) => new(null, RefusalCode.IssuerKeysUnavailable, detail);
}

/// <summary>A JWKS as fetched: the keys and how long the issuer says they may be cached.</summary>
public sealed record FetchedKeySet(IssuerKeySet Keys, TimeSpan? MaxAge);

/// <summary>Fetches an admin-registered issuer's key set. Implementations throw <see cref="KeyFetchException"/> with a safe message.</summary>
public interface IJwksFetcher
{
    Task<FetchedKeySet> FetchAsync(Issuers.TrustedIssuer issuer, CancellationToken cancellationToken);
}

public sealed class KeyFetchException(string message, Exception? inner = null) : Exception(message, inner);
