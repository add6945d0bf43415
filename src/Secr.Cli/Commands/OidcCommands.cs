using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr oidc issuer …</c>, <c>secr oidc binding …</c>, <c>secr oidc explain</c>: federation.</summary>
internal static class OidcCommands
{
    public static Command Build(CliContext context) => new("oidc", "Trusted issuers, OIDC bindings and explain")
    {
        IssuerCommands.Build(context),
        BindingCommands.Build(context),
        ExplainCommand.Build(context),
    };
}
