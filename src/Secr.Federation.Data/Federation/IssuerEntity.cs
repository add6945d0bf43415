namespace Secr.Federation.Data.Federation;

public sealed class IssuerEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string IssuerUrl { get; set; }
    public required string Kind { get; set; }
    public required string KeySource { get; set; }
    public string? JwksUri { get; set; }
    public string? StaticJwks { get; set; }
    public required List<string> AllowedAlgorithms { get; set; }
    public string? RequiredAudience { get; set; }
    public int ClockSkewSeconds { get; set; }
    public int MaxTokenLifetimeSeconds { get; set; }
    public required string ReplayPolicy { get; set; }
    public bool AllowPrivateNetwork { get; set; }
    public List<string> AllowedJwksOrigins { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}
