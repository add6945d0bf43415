using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities.Credentials;

namespace Secr.Federation.Core.Identities.MachineTokens;

/// <summary>Admission stage 1 for machine tokens: well-formed (checksum) and known by digest.</summary>
public sealed class MachineTokenAuthenticator(IIdentityDirectory directory)
    : StoredCredentialAuthenticator<MachineToken>(CredentialFormat.MachinePrefix, Source)
{
    public const string Source = "secr:machine_token";

    public override CredentialKind Kind => CredentialKind.MachineToken;

    protected override Task<MachineToken?> FindAsync(string digest, CancellationToken cancellationToken) => directory.FindMachineTokenAsync(digest, cancellationToken);

    protected override string IdOf(MachineToken identity) => identity.Id;
}

/// <summary>Admission stage 2 for machine tokens: the token is its own identity.</summary>
public sealed class MachineTokenResolver(CredentialOptions options) : IIdentityResolver
{
    public CredentialKind Kind => CredentialKind.MachineToken;

    public ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential credential, AdmissionRequest request, CancellationToken cancellationToken)
    {
        return ValueTask.FromResult<StageResult<ResolvedIdentity>>(ToIdentity((MachineToken)credential.Context, options));
    }

    public static ResolvedIdentity ToIdentity(MachineToken token, CredentialOptions options) => new()
    {
        Id = token.Id,
        Type = IdentityType.MachineToken,
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
}
