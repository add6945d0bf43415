using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Organisation;

/// <summary>
/// The organisation as configured (<c>Secr:Organisation</c>): its name, which reports are headed with ("Posture Report —
/// acme-corp"). An admin's setting through the API outranks it; neither set, reports carry no name.
/// </summary>
public sealed class OrganisationSettings : ISettings<OrganisationSettings>
{
    public static string Section => "Secr:Organisation";

    public string? Name { get; set; }

    public IEnumerable<string> Errors()
    {
        if (Name is not null && DisplayNames.Error(Name) is { } error)
        {
            yield return $"{Section}:Name {error}";
        }
    }
}
