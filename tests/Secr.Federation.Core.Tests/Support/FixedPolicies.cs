using Secr.Federation.Core.Governance;

namespace Secr.Federation.Core.Tests.Support;

/// <summary>Organisation policies fixed by the test.</summary>
public sealed class FixedPolicies(OrganisationPolicies policies) : IPolicyReader
{
    public static readonly FixedPolicies None = new(OrganisationPolicies.None);

    public ValueTask<OrganisationPolicies> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(policies);
}
