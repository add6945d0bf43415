using Secr.Federation.Core.Common;
using Secr.Federation.Core.Organisation;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Application.Organisation;

/// <summary>Where the organisation's name comes from: an admin's setting, else the configuration, else nowhere.</summary>
public enum OrganisationNameSource
{
    None,
    Configuration,
    Setting,
}

/// <summary>The organisation's name and where it came from.</summary>
public sealed record OrganisationNameValue(string? Name, OrganisationNameSource Source);

/// <summary>
/// The organisation's name, which reports are headed with: read (an admin's setting outranks <c>Secr:Organisation:Name</c>)
/// and set or cleared by an admin, validated as a display name and audited.
/// </summary>
public sealed class OrganisationName(OrganisationNameStore store, OrganisationSettings settings, AdminAudit audit)
{
    public async Task<OrganisationNameValue> GetAsync(CancellationToken cancellationToken) =>
        await store.GetAsync(cancellationToken) is { } set ? new(set, OrganisationNameSource.Setting)
        : settings.Name is { } configured ? new(configured, OrganisationNameSource.Configuration)
        : new(null, OrganisationNameSource.None);

    /// <summary>Sets the name, or with null clears the setting, so the configured name (if any) applies again.</summary>
    public async Task<ChangeResult<OrganisationNameValue>> SetAsync(string? name, AdminActor actor, CancellationToken cancellationToken)
    {
        if (DisplayNames.Error(name) is { } error)
        {
            return ChangeResult<OrganisationNameValue>.Invalid("name", error);
        }

        await using (var change = await audit.BeginAsync(cancellationToken))
        {
            await store.WriteAsync(change, name, cancellationToken);
            change.Record(actor, "admin.organisation_renamed", name is null ? "organisation name setting cleared" : $"organisation name set to \"{name}\"", null);
            await change.CommitAsync(cancellationToken);
        }

        return ChangeResult<OrganisationNameValue>.Ok(await GetAsync(cancellationToken));
    }
}
