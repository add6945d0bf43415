using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.Keys;

namespace Secr.Federation.Micro.Fakes;

/// <summary>
/// The key cache needs a fetcher, but the benchmark's issuer has an uploaded JWKS, which is never fetched. Should the
/// scenario ever reach for the network, the fetch fails and the setup check reports the refusal instead of timing it.
/// </summary>
internal sealed class NoNetworkJwksFetcher : IJwksFetcher
{
    public Task<FetchedKeySet> FetchAsync(TrustedIssuer issuer, CancellationToken cancellationToken) =>
        throw new KeyFetchException($"the micro-benchmarks have no network; issuer '{issuer.Name}' must use an uploaded JWKS");
}
