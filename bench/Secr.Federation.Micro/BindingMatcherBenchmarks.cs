using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Micro;

/// <summary>
/// The binding matcher on one GitHub token. Every exchange evaluates every binding of the token's issuer, so an issuer
/// with many bindings pays the non-matching case for all but one of them.
/// </summary>
[MemoryDiagnoser]
public class BindingMatcherBenchmarks
{
    private static readonly IssuerPreset GitHub = IssuerPreset.For(IssuerKind.GitHub);

    private readonly JsonElement _claims = GitHubWorkload.Claims();
    private readonly TrustBinding _pinnedToTokensRepository = GitHubWorkload.PinnedBinding(GitHubWorkload.RepositoryId);
    private readonly TrustBinding _pinnedToOtherRepository = GitHubWorkload.PinnedBinding(GitHubWorkload.OtherRepositoryId);

    /// <summary>Times only the outcomes the names promise.</summary>
    [GlobalSetup]
    public void CheckScenario()
    {
        if (!BindingMatches().Matched || BindingOfOtherRepositoryFails().Matched)
        {
            throw new InvalidOperationException("the pinned binding must match the token and the other repository's binding must not");
        }
    }

    [Benchmark]
    public BindingEvaluation BindingMatches() => BindingMatcher.Evaluate(_pinnedToTokensRepository, GitHub, _claims);

    [Benchmark]
    public BindingEvaluation BindingOfOtherRepositoryFails() => BindingMatcher.Evaluate(_pinnedToOtherRepository, GitHub, _claims);
}
