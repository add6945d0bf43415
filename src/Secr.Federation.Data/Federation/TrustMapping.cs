using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Data.Federation;

/// <summary>Entity ↔ domain for issuers and bindings.</summary>
internal static class TrustMapping
{
    public static TrustedIssuer ToDomain(this IssuerEntity e)
    {
        IssuerKindText.TryParse(e.Kind, out var kind);
        KeySourceText.TryParse(e.KeySource, out var source);
        return new TrustedIssuer
        {
            Id = e.Id,
            Name = e.Name,
            IssuerUrl = e.IssuerUrl,
            Kind = kind,
            KeySource = source,
            JwksUri = e.JwksUri,
            StaticJwks = e.StaticJwks,
            AllowedAlgorithms = e.AllowedAlgorithms,
            RequiredAudience = e.RequiredAudience,
            ClockSkew = TimeSpan.FromSeconds(e.ClockSkewSeconds),
            MaxTokenLifetime = TimeSpan.FromSeconds(e.MaxTokenLifetimeSeconds),
            ReplayPolicy = e.ReplayPolicy == nameof(ReplayPolicy.Reusable) ? ReplayPolicy.Reusable : ReplayPolicy.SingleUse,
            AllowPrivateNetwork = e.AllowPrivateNetwork,
            AllowedJwksOrigins = e.AllowedJwksOrigins,
            CreatedAt = e.CreatedAt,
        };
    }

    public static IssuerEntity ToEntity(this TrustedIssuer i) => new()
    {
        Id = i.Id,
        Name = i.Name,
        IssuerUrl = i.IssuerUrl,
        Kind = i.Kind.ToText(),
        KeySource = i.KeySource.ToText(),
        JwksUri = i.JwksUri,
        StaticJwks = i.StaticJwks,
        AllowedAlgorithms = [.. i.AllowedAlgorithms],
        RequiredAudience = i.RequiredAudience,
        ClockSkewSeconds = (int)i.ClockSkew.TotalSeconds,
        MaxTokenLifetimeSeconds = (int)i.MaxTokenLifetime.TotalSeconds,
        ReplayPolicy = i.ReplayPolicy.ToString(),
        AllowPrivateNetwork = i.AllowPrivateNetwork,
        AllowedJwksOrigins = [.. i.AllowedJwksOrigins],
        CreatedAt = i.CreatedAt,
    };

    public static TrustBinding ToDomain(this BindingEntity e)
    {
        PermissionText.TryParse(e.Permission, out var permission);
        return new TrustBinding
        {
            Id = e.Id,
            Name = e.Name,
            DisplayName = e.DisplayName,
            IssuerId = e.IssuerId,
            Conditions = ConditionJson.Read(e.Conditions),
            Project = e.Project,
            Environment = e.Environment,
            Permission = permission,
            SecretAllowlist = e.SecretAllowlist,
            AccessTokenTtl = TimeSpan.FromSeconds(e.AccessTokenTtlSeconds),
            ClientIpAllowlist = e.ClientIpAllowlist.Select(Cidr.Parse).ToList(),
            Enabled = e.Enabled,
            AllowBroadMatch = e.AllowBroadMatch,
            OwnerId = e.OwnerId,
            CreatedAt = e.CreatedAt,
            UpdatedAt = e.UpdatedAt,
        };
    }

    public static void CopyTo(this TrustBinding b, BindingEntity e)
    {
        e.Name = b.Name;
        e.DisplayName = b.DisplayName;
        e.IssuerId = b.IssuerId;
        e.Conditions = ConditionJson.Write(b.Conditions);
        e.Project = b.Project;
        e.Environment = b.Environment;
        e.Permission = b.Permission.ToText();
        e.SecretAllowlist = b.SecretAllowlist?.ToList();
        e.AccessTokenTtlSeconds = (int)b.AccessTokenTtl.TotalSeconds;
        e.ClientIpAllowlist = b.ClientIpAllowlist.Select(c => c.ToString()).ToList();
        e.Enabled = b.Enabled;
        e.AllowBroadMatch = b.AllowBroadMatch;
        e.OwnerId = b.OwnerId;
        e.UpdatedAt = b.UpdatedAt;
    }

    public static BindingEntity ToEntity(this TrustBinding b)
    {
        var entity = new BindingEntity { Id = b.Id, Name = b.Name, IssuerId = b.IssuerId, Conditions = "[]", Project = b.Project, Environment = b.Environment, Permission = "", CreatedAt = b.CreatedAt };
        b.CopyTo(entity);
        return entity;
    }
}
