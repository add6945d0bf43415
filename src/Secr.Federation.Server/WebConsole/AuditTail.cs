namespace Secr.Federation.Server.WebConsole;

/// <summary>
/// Turns an <c>_AuditTable</c> into a live tail (console.js polls <see cref="FeedUrl"/> with <c>after</c> = the newest
/// record id shown). Passed in the partial's view data, so the overview's plain table needs nothing.
/// </summary>
public sealed record AuditTail(string FeedUrl, long After, string StatusId)
{
    public const string Key = nameof(AuditTail);

    /// <summary>
    /// Rows the tail keeps (newest first) before it drops the oldest: a console left open on a busy server must not
    /// grow without bound. Older records stay one click away through the page's "older" link after a reload.
    /// </summary>
    public const int KeptRows = 500;
}
