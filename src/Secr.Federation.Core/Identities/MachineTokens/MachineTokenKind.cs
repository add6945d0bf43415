using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities.Credentials;

namespace Secr.Federation.Core.Identities.MachineTokens;

/// <summary>
/// Machine tokens, <c>secr_mt_{env}_…</c>: long-lived CI/CD credentials traded by their own grant, or used directly at
/// the secrets API. The token is its own identity; it can be disabled, enabled, rolled and revoked.
/// </summary>
public sealed class MachineTokenKind(IIdentityDirectory directory, CredentialOptions options)
    : StoredCredentialKind<MachineToken>(IdentityType.MachineToken, Grant, CredentialFormat.MachinePrefix, SourceIssuer, LifecycleRules)
{
    public const string Grant = "urn:secr:params:oauth:grant-type:machine-token";
    public const string SourceIssuer = "secr:machine_token";

    public static readonly IdentityLifecycle LifecycleRules = new()
    {
        Transitions = [LifecycleTransition.Disable, LifecycleTransition.Enable, LifecycleTransition.Roll, LifecycleTransition.Revoke],
        DisabledCode = RefusalCode.TokenDisabled,
        RetiredCode = RefusalCode.TokenRevoked,
    };

    public override ResolvedIdentity ToIdentity(MachineToken token) => new()
    {
        Id = token.Id,
        Type = IdentityType.MachineToken,
        Lifecycle = LifecycleRules,
        Name = token.Name,
        Project = token.Project ?? ResolvedIdentity.AllProjects,
        Environment = token.Environment,
        Permission = token.Permission,
        MaxLifetime = options.AccessTokenLifetime,
        Status = token.Status,
        ExpiresAt = token.ExpiresAt,
        CredentialIssuedAt = token.LastRotatedAt ?? token.CreatedAt,
        Access = token.Access,
        SecretAllowlist = token.SecretAllowlist,
    };

    protected override string IdOf(MachineToken token) => token.Id;

    protected override Task<MachineToken?> FindByDigestAsync(string digest, CancellationToken cancellationToken) => directory.FindMachineTokenAsync(digest, cancellationToken);

    protected override Task<MachineToken?> FindByIdAsync(string id, CancellationToken cancellationToken) => directory.FindMachineTokenByIdAsync(id, cancellationToken);
}
