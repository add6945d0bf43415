using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>
/// The audit log with the admin API's filters (<see cref="AuditFilter"/>), newest first, 50 a page, paged back by
/// record id (<c>before</c>). The newest page tails the log: console.js polls the Feed handler for what came after.
/// </summary>
public sealed class AuditModel(IAuditReader reader, IdentityKinds kinds) : PageModel
{
    public const int PageSize = 50;

    /// <summary>At most this many records per poll; a busier log catches up over the next polls.</summary>
    public const int FeedLimit = 100;

    private const string PagePath = ConsoleRegistration.Path + "/audit";

    private static readonly JsonSerializerOptions FeedJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public AuditFilter Filter { get; private set; } = new();

    public long? Before { get; private set; }

    public IReadOnlyList<AuditRecord> Records { get; private set; } = [];

    public bool HasOlder { get; private set; }

    public IReadOnlyList<ValidationError> Errors { get; private set; } = [];

    /// <summary>The live tail, on the newest page only: older pages stay still while someone reads them.</summary>
    public AuditTail? Tail => Before is null && Errors.Count == 0
        ? new AuditTail(PagePath + QueryString.Create(Filter.Parameters().Prepend(KeyValuePair.Create("handler", (string?)"Feed"))), Records.Count > 0 ? Records[0].Id : 0, "tail-status")
        : null;

    public string NewestUrl => PagePath + QueryString.Create(Filter.Parameters());

    public string OlderUrl => PagePath + QueryString.Create(Filter.Parameters().Append(KeyValuePair.Create("before", (string?)Records[^1].Id.ToString(CultureInfo.InvariantCulture))));

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    public async Task<IActionResult> OnGetAsync([FromQuery] AuditFilter filter, long? before, CancellationToken cancellationToken)
    {
        (Filter, Before) = (AsUtc(filter), before);
        // One more than a page, to know whether an Older link leads anywhere.
        var query = Filter.ToQuery(before, after: null, PageSize + 1);
        Errors = [.. BindingErrors(), .. query.Validate(kinds)];
        if (Errors.Count > 0)
        {
            // 400, as the API answers the same filter.
            return new PageResult { StatusCode = StatusCodes.Status400BadRequest };
        }

        var page = await reader.QueryAsync(query, cancellationToken);
        HasOlder = page.Count > PageSize;
        Records = page.Take(PageSize).ToList();
        return Page();
    }

    /// <summary>The records after <paramref name="after"/> (a record id) that pass the filters, oldest first, as the tail's JSON rows.</summary>
    public async Task<IActionResult> OnGetFeedAsync([FromQuery] AuditFilter filter, long after, CancellationToken cancellationToken)
    {
        var query = AsUtc(filter).ToQuery(before: null, after, FeedLimit);
        if (BindingErrors().Any() || query.Validate(kinds).Count > 0)
        {
            return BadRequest();
        }

        var records = await reader.QueryAsync(query, cancellationToken);
        return new JsonResult(records.Select(AuditRow.Of), FeedJson);
    }

    /// <summary>
    /// The form's time fields (datetime-local) send no offset and are labelled UTC, but binding reads an offset-less time
    /// in the host's zone: read them as UTC. A time with an offset (the API's form, the links this page makes) keeps it.
    /// </summary>
    private AuditFilter AsUtc(AuditFilter filter) => filter with { Since = AsUtc("since", filter.Since), Until = AsUtc("until", filter.Until) };

    private DateTimeOffset? AsUtc(string field, DateTimeOffset? bound) =>
        DateTimeOffset.TryParse(Request.Query[field], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : bound;

    private IEnumerable<ValidationError> BindingErrors() =>
        ModelState.Where(entry => entry.Value?.Errors.Count > 0).Select(entry => new ValidationError(entry.Key, "is not a valid value"));
}
