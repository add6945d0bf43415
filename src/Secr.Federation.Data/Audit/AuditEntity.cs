namespace Secr.Federation.Data.Audit;

public sealed class AuditEntity
{
    public long Id { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public required string Outcome { get; set; }
    public required string ReasonCode { get; set; }
    public required string Reason { get; set; }
    public required string Action { get; set; }
    public string? IdentityType { get; set; }
    public string? IdentityId { get; set; }
    public string? IdentityName { get; set; }
    public string? Binding { get; set; }
    public string? Project { get; set; }
    public string? Environment { get; set; }
    public string? Permission { get; set; }
    public string? Keys { get; set; }
    public string? SourceIssuer { get; set; }
    public string? SourceSubject { get; set; }
    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }
    public required string RequestId { get; set; }
    public string? TokenId { get; set; }
    public DateTimeOffset? TokenExpiresAt { get; set; }
}

public sealed class ReplayEntity
{
    public required string Key { get; set; }
    /// <summary>UTC ticks, written by raw SQL in the ledger's insert-if-absent.</summary>
    public long KeepUntilTicks { get; set; }
}
