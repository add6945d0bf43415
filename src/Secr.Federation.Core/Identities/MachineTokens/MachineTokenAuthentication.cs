using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities.Credentials;

namespace Secr.Federation.Core.Identities.MachineTokens;

/// <summary>Admission stage 1 for machine tokens: the value must be well-formed (checksum) and its digest known.</summary>
public sealed class MachineTokenAuthenticator(IIdentityDirectory directory) : ICredentialAuthenticator
{
    public const string Source = "secr:machine_token";

    public CredentialKind Kind => CredentialKind.MachineToken;

    public async ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        // The checksum lets a typo or a foreign string be refused without a database lookup.
        if (!CredentialFormat.IsWellFormed(request.Credential, CredentialFormat.MachinePrefix))
        {
            return Refusals.Create("credential.malformed", "not a well-formed secr_mt_ token (prefix, length or checksum)");
        }

        var token = await directory.FindMachineTokenAsync(CredentialFormat.Digest(request.Credential!), cancellationToken).ConfigureAwait(false);
        return token is null
            ? Refusals.Create("credential.unknown", "a well-formed machine token that this server never issued, or whose record was deleted")
            : new AuthenticatedCredential(Source, token.Id, null, token);
    }
}

/// <summary>Admission stage 2 for machine tokens: the token is its own identity.</summary>
public sealed class MachineTokenResolver(CredentialOptions options) : IIdentityResolver
{
    public CredentialKind Kind => CredentialKind.MachineToken;

    public ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential credential, AdmissionRequest request, CancellationToken cancellationToken)
    {
        var token = (MachineToken)credential.Context;
        return ValueTask.FromResult<StageResult<ResolvedIdentity>>(new ResolvedIdentity
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
            Access = token.Access,
        });
    }
}
