using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;

namespace Secr.Federation.Core.Secrets;

public enum SecretOperation
{
    List,
    Read,
    ReadAll,
    Write,
    Delete,
}

/// <summary>
/// What a workload may touch: its own project (or any, when scoped to the organisation) and environment; writes
/// only with read_write; for agents, only keys on the allowlist (a list shows only those).
/// </summary>
public static class SecretScope
{
    public const string ReadAction = "secrets:read";

    /// <summary>
    /// A read of the whole environment (<c>GET /v1/secrets/{project}/{environment}</c>, as <c>secr run</c> reads it):
    /// audited apart from a read of one key, because it touches every key the identity may see, a canary set later included.
    /// </summary>
    public const string ReadAllAction = "secrets:read_all";

    public static string Action(SecretOperation operation) => operation switch
    {
        SecretOperation.List => "secrets:list",
        SecretOperation.Read => ReadAction,
        SecretOperation.ReadAll => ReadAllAction,
        SecretOperation.Write => "secrets:write",
        _ => "secrets:delete",
    };

    public static AdmissionRefusal? Check(WorkloadPrincipal principal, SecretOperation operation, string project, string environment, string? key)
    {
        var identity = principal.Identity;
        if (identity.Project != ResolvedIdentity.AllProjects && identity.Project != project)
        {
            return Refusals.Create(RefusalCode.ProjectNotAllowed, $"'{identity.Name}' is scoped to project '{identity.Project}', not '{project}'");
        }

        if (identity.Environment != environment)
        {
            return Refusals.Create(RefusalCode.EnvironmentNotAllowed, $"'{identity.Name}' is scoped to environment '{identity.Environment}', not '{environment}'");
        }

        if (operation is SecretOperation.Write or SecretOperation.Delete && principal.Permission != Permission.ReadWrite)
        {
            return Refusals.Create(RefusalCode.PermissionDenied, $"'{identity.Name}' has {principal.Permission.ToText()} permission");
        }

        return key is not null && !MayTouch(identity, key)
            ? Refusals.Create(RefusalCode.SecretNotAllowed, $"key '{key}' is outside the allowlist of '{identity.Name}' ({string.Join(",", identity.SecretAllowlist!)})")
            : null;
    }

    public static bool MayTouch(ResolvedIdentity identity, string key) =>
        identity.SecretAllowlist is not { } allowlist || SecretAllowlist.Allows(allowlist, key);
}
