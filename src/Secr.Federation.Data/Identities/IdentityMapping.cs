using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;

namespace Secr.Federation.Data.Identities;

internal static class IdentityMapping
{
    public static MachineToken ToDomain(this MachineTokenEntity e)
    {
        PermissionText.TryParse(e.Permission, out var permission);
        IdentityStatusText.TryParse(e.Status, out var status);
        return new MachineToken
        {
            Id = e.Id, Name = e.Name, DisplayName = e.DisplayName, Environment = e.Environment, Project = e.Project, Permission = permission, OwnerId = e.OwnerId,
            ExpiresAt = e.ExpiresAt, Access = AccessJson.Read(e.Access), SecretAllowlist = e.SecretAllowlist, Status = status, Digest = e.Digest, CreatedBy = e.CreatedBy,
            CreatedAt = e.CreatedAt, LastRotatedAt = e.LastRotatedAt, LastUsedAt = e.LastUsedAt, LastUsedIp = e.LastUsedIp, EnabledAt = e.EnabledAt, Disabled = e.Disablement(), SuccessorId = e.SuccessorId,
        };
    }

    public static MachineTokenEntity ToEntity(this MachineToken t) => new()
    {
        Id = t.Id, Name = t.Name, DisplayName = t.DisplayName, Environment = t.Environment, Project = t.Project, Permission = t.Permission.ToText(), OwnerId = t.OwnerId,
        ExpiresAt = t.ExpiresAt, Access = AccessJson.Write(t.Access), SecretAllowlist = t.SecretAllowlist?.ToList(), Status = t.Status.ToText(), Digest = t.Digest, CreatedBy = t.CreatedBy,
        CreatedAt = t.CreatedAt, LastRotatedAt = t.LastRotatedAt, LastUsedAt = t.LastUsedAt, LastUsedIp = t.LastUsedIp, EnabledAt = t.EnabledAt,
        DisabledBy = t.Disabled?.By, DisabledReason = t.Disabled?.Reason, DisabledAt = t.Disabled?.At, SuccessorId = t.SuccessorId,
    };

    public static AgentIdentity ToDomain(this AgentEntity e)
    {
        IdentityStatusText.TryParse(e.Status, out var status);
        return new AgentIdentity
        {
            Id = e.Id, Name = e.Name, DisplayName = e.DisplayName, Project = e.Project, Environment = e.Environment, OwnerId = e.OwnerId, ExpiresAt = e.ExpiresAt,
            SecretAllowlist = e.SecretAllowlist, Access = AccessJson.Read(e.Access), Status = status, Digest = e.Digest,
            CreatedBy = e.CreatedBy, CreatedAt = e.CreatedAt, LastUsedAt = e.LastUsedAt, LastUsedIp = e.LastUsedIp, EnabledAt = e.EnabledAt, Disabled = e.Disablement(),
        };
    }

    public static AgentEntity ToEntity(this AgentIdentity a) => new()
    {
        Id = a.Id, Name = a.Name, DisplayName = a.DisplayName, Project = a.Project, Environment = a.Environment, OwnerId = a.OwnerId, ExpiresAt = a.ExpiresAt,
        SecretAllowlist = [.. a.SecretAllowlist], Access = AccessJson.Write(a.Access), Status = a.Status.ToText(), Digest = a.Digest,
        CreatedBy = a.CreatedBy, CreatedAt = a.CreatedAt, LastUsedAt = a.LastUsedAt, LastUsedIp = a.LastUsedIp, EnabledAt = a.EnabledAt,
        DisabledBy = a.Disabled?.By, DisabledReason = a.Disabled?.Reason, DisabledAt = a.Disabled?.At,
    };
}
