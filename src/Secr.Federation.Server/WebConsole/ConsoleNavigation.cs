namespace Secr.Federation.Server.WebConsole;

/// <summary>The console's sections, in the order the navigation lists them.</summary>
public static class ConsoleNavigation
{
    public static readonly IReadOnlyList<(string Href, string Label)> Sections =
    [
        ("/console", "Overview"),
        ("/console/identities", "Identities"),
        ("/console/bindings", "OIDC bindings"),
        ("/console/policies", "Policies"),
        ("/console/audit", "Audit"),
    ];
}
