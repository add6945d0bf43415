namespace Secr.Federation.Server.WebConsole;

/// <summary>
/// Turns an <c>_AuditTable</c> into a live tail (console.js polls <see cref="FeedUrl"/> with <c>after</c> = the newest
/// record id shown). Passed in the partial's view data, so the overview's plain table needs nothing.
/// </summary>
public sealed record AuditTail(string FeedUrl, long After, string StatusId)
{
    public const string Key = nameof(AuditTail);
}
