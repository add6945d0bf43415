using Secr.Federation.Core.Governance;

namespace Secr.Federation.Micro.Fakes;

/// <summary>No organisation policy switched on, hence no brownout: the server's cached policies in their default state.</summary>
internal sealed class NoOrganisationPolicies : IPolicyReader
{
    public ValueTask<OrganisationPolicies> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(OrganisationPolicies.None);
}
