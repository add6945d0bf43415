namespace Secr.Federation.Data.Secrets;

public sealed class SecretEntity
{
    public required string Id { get; set; }
    public required string Project { get; set; }
    public required string Environment { get; set; }
    public required string Key { get; set; }
    public int CurrentVersion { get; set; }
    public bool Deleted { get; set; }
    public bool Canary { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<SecretVersionEntity> Versions { get; set; } = [];
}

/// <summary>One version of a secret: its value encrypted (AES-256-GCM) under a data key, or nothing for a deletion.</summary>
public sealed class SecretVersionEntity
{
    public long Id { get; set; }
    public required string SecretId { get; set; }
    public int Version { get; set; }
    public string? DataKeyId { get; set; }
    public byte[]? Ciphertext { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A data key, stored only wrapped (encrypted) under the master key.</summary>
public sealed class DataKeyEntity
{
    public required string Id { get; set; }
    public required byte[] WrappedKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Organisation-wide settings (a single row).</summary>
public sealed class OrganisationSettingsEntity
{
    public int Id { get; set; }
    public bool IpAllowlistEnabled { get; set; }
    public List<string> IpAllowlist { get; set; } = [];

    /// <summary>The organisation's policies as JSON (see <c>PolicyStore</c>).</summary>
    public string? Policies { get; set; }

    /// <summary>The organisation's name as an admin set it; null: the configured one (<c>Secr:Organisation:Name</c>).</summary>
    public string? Name { get; set; }
}
