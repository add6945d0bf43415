namespace Secr.Federation.Data.Leaks;

/// <summary>
/// A credential a scanner reported leaked, by its value's digest (the key: a token reported twice is handled once),
/// with the identity it belonged to, who reported it, where it was found and what containment did.
/// </summary>
public sealed class LeakReportEntity
{
    public required string Digest { get; set; }
    public required string IdentityType { get; set; }
    public required string IdentityId { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    public required string Reporter { get; set; }
    public string? TokenType { get; set; }
    public string? Source { get; set; }
    public string? Url { get; set; }
    public required string Response { get; set; }
}
