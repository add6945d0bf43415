using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Federation.SubjectTokens;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.RateLimiting;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Micro.Fakes;

namespace Secr.Federation.Micro;

/// <summary>
/// The token exchange's admission wired as the server wires it (Hosting/ServiceRegistration): the real authenticator,
/// validator, key cache, binding resolver, guards, rate limit, grant policy and repeated-failure alerts, with in-memory
/// stand-ins only where the server reads or writes its database. GitHub is trusted with one binding, pinned to the
/// token's repository.
/// </summary>
internal sealed class InMemoryExchange
{
    private const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";

    private static readonly IPAddress RunnerAddress = IPAddress.Parse("203.0.113.10");

    public InMemoryExchange(string jwks)
    {
        var clock = new FrozenClock(GitHubWorkload.ExchangedAt);
        var metrics = new SecrMetrics(new UnobservedMeterFactory());
        var issuer = GitHubWorkload.Issuer(jwks);
        var trust = new StaticTrustRegistry(new TrustSnapshot([issuer], [GitHubWorkload.PinnedBinding(GitHubWorkload.RepositoryId)]));
        var keys = new IssuerKeyCache(new NoNetworkJwksFetcher(), new KeyCacheOptions(), metrics, clock);
        Authenticator = new WorkloadTokenAuthenticator(trust, new SubjectTokenValidator(keys, clock), new FederationOptions { DefaultAudience = GitHubWorkload.Audience }, new BindingResolver());
        Kind = new OidcBindingKind(Authenticator, trust);

        // The identity limit takes one token per admission, as in production; but the clock is frozen, so buckets never
        // refill, and only a burst of int.MaxValue keeps the limit from refusing within a run.
        var limits = new RateLimitSettings();
        limits.Identity = limits.Identity with { Burst = int.MaxValue };
        var guards = new IdentityGuards(new OpenGuards(), new NoOrganisationPolicies(), new NoGrades(), new Brownout(), new IdentityRateLimit(limits, clock), clock);
        var ledger = new RepeatedFailureAlerts(new DiscardingLedger(), new RepeatedFailureWatch(limits, clock), limits, NullLogger<RepeatedFailureAlerts>.Instance);
        Pipeline = new AdmissionPipeline(new GrantPolicy(guards, clock), ledger, metrics, clock, NullLogger<AdmissionPipeline>.Instance);
    }

    /// <summary>Stage 1 on its own: validating the subject token against the trusted issuer.</summary>
    public WorkloadTokenAuthenticator Authenticator { get; }

    /// <summary>The OIDC binding kind over the same authenticator, as token requests name it.</summary>
    public OidcBindingKind Kind { get; }

    public AdmissionPipeline Pipeline { get; }

    /// <summary>
    /// A token-exchange request as the token endpoint builds it, new for every exchange: the identity rate limit counts
    /// one use per <see cref="AdmissionClient"/> (one per HTTP request), so reusing one would skip its work after the first call.
    /// </summary>
    public AdmissionRequest Request(string subjectToken) => new()
    {
        Kind = Kind,
        GrantType = TokenExchangeGrant,
        Credential = subjectToken,
        Client = new AdmissionClient(RunnerAddress, "curl/8.5.0", "bench-request"),
    };
}
