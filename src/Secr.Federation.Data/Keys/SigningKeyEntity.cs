namespace Secr.Federation.Data.Keys;

/// <summary>A signing key of this server; the private part is stored only encrypted under the master key.</summary>
public sealed class SigningKeyEntity
{
    public required string Kid { get; set; }
    public required string Algorithm { get; set; }
    public required byte[] EncryptedPrivateKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it starts signing: later than its creation, so every node publishes it before any node signs with it.</summary>
    public DateTimeOffset ActivatesAt { get; set; }

    /// <summary>When it stopped signing; it stays published until every token it signed has expired.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
