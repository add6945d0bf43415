using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Secr.Federation.Application.Governance;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Governance;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.WebConsole.Pages.Identities;

/// <summary>A lifecycle button: which page handler it posts to, and the question it asks first when it cannot be undone.</summary>
public sealed record LifecycleAction(string Handler, string Label, string? Confirm = null);

/// <summary>
/// One identity: its attributes, posture, fixes, usage over 30 days and the addresses it was used from; the lifecycle
/// buttons and fixes call the same stores as the admin API, audited as the signed-in admin. A change redirects to
/// <c>?done=…</c>, except a roll: the new value is in that one response and nowhere else.
/// </summary>
public sealed class DetailModel(
    NhiInventory inventory, Remediation remediation, IAuditReader audit, IdentityKinds kinds, IEnumerable<IIdentityKindChanges> changes, ConsoleKinds consoleKinds, TimeProvider clock)
    : PageModel
{
    public const int UsageDays = 30;

    public InventoryItem Item { get; private set; } = null!;

    public IReadOnlyList<IdentityAttribute> Attributes { get; private set; } = [];

    public IReadOnlyList<FixOption> Fixes { get; private set; } = [];

    public IdentityUsage Usage { get; private set; } = null!;

    public IReadOnlyList<LifecycleAction> Actions { get; private set; } = [];

    /// <summary>What the last change did (<c>disabled</c>, <c>fixed</c>…), from the redirect's query.</summary>
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    /// <summary>The fix just applied (from the redirect's query) or just refused (from the form).</summary>
    [BindProperty(SupportsGet = true)] public string? Fix { get; set; }

    /// <summary>A rolled token's new value: rendered in the POST's response only, never stored or shown again.</summary>
    public string? NewToken { get; private set; }

    public string? Problem { get; private set; }

    public IReadOnlyList<ValidationError> Errors { get; private set; } = [];

    public BarChart UsageChart => new($"Use over the last {UsageDays} days (UTC)", Usage.Days.Select(d => d.Day.ToString("MM-dd")).ToList(),
    [
        new BarSeries("requests", "series-requests", Usage.Days.Select(d => d.Requests).ToList()),
        new BarSeries("refusals", "series-refusals", Usage.Days.Select(d => d.Refusals).ToList()),
        new BarSeries("distinct IPs", "series-ips", Usage.Days.Select(d => d.DistinctIps).ToList()),
    ]);

    public async Task<IActionResult> OnGetAsync(string type, string id) => await LoadAsync(type, id) ? Page() : NotFound();

    public Task<IActionResult> OnPostDisableAsync(string type, string id) => TransitionAsync(type, id, LifecycleTransition.Disable);

    public Task<IActionResult> OnPostEnableAsync(string type, string id) => TransitionAsync(type, id, LifecycleTransition.Enable);

    public Task<IActionResult> OnPostRevokeAsync(string type, string id) => TransitionAsync(type, id, LifecycleTransition.Revoke);

    public Task<IActionResult> OnPostKillAsync(string type, string id) => TransitionAsync(type, id, LifecycleTransition.Kill);

    public Task<IActionResult> OnPostRollAsync(string type, string id) => TransitionAsync(type, id, LifecycleTransition.Roll);

    /// <summary>Applies one fix, as <c>POST /api/v1/nhi/{type}/{id}/fixes/{fix}</c> does; a roll fix shows its new value like the roll button.</summary>
    public async Task<IActionResult> OnPostFixAsync(string type, string id, string? fix, int? days, string? project, string? to)
    {
        // The page's fix buttons always name one; a form without it (a script, a hand-made request) is refused here.
        if (string.IsNullOrEmpty(fix))
        {
            return await RefusedAsync(type, id, [new ValidationError("fix", "choose a fix")], null);
        }

        var applied = await remediation.ApplyAsync(type, id, fix, new FixParameters(days, project, to), HttpContext.Actor(), HttpContext.RequestAborted);
        if (applied.Value is { Token: { } value, Id: { } successor })
        {
            return await ShowNewValueAsync(type, successor, value);
        }

        return applied.Status == ChangeStatus.Ok
            ? Redirect($"{DetailPath(type, id)}?done=fixed&fix={Uri.EscapeDataString(fix)}")
            : await RefusedAsync(type, id, applied.Errors, applied.Message);
    }

    /// <summary>A fix's parameter field; when that very fix was just refused, it keeps the value sent and shows the store's errors.</summary>
    public FixField Field(FixOption option, string name, string label, string inputType)
    {
        var refused = Problem is not null && Fix == option.Fix;
        return new FixField(option.Fix, name, label, inputType, refused ? Request.Form[name].ToString() : null, refused ? Errors : []);
    }

    public static string DetailPath(string type, string id) => $"{ConsoleRegistration.Path}/identities/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}";

    private async Task<IActionResult> ShowNewValueAsync(string type, string successor, string value)
    {
        await LoadAsync(type, successor);
        NewToken = value;
        return Page();
    }

    private async Task<IActionResult> ChangedAsync<T>(string type, string id, ChangeResult<T> result, string done) => result.Status == ChangeStatus.Ok
        ? Redirect($"{DetailPath(type, id)}?done={done}")
        : await RefusedAsync(type, id, result.Errors, result.Message);

    /// <summary>The page again with the store's reasons inline; 400, so the address rate limiter counts the failure.</summary>
    private async Task<IActionResult> RefusedAsync(string type, string id, IReadOnlyList<ValidationError> errors, string? message)
    {
        if (!await LoadAsync(type, id))
        {
            return NotFound();
        }

        Done = null;
        Errors = errors;
        Problem = errors.Count > 0 ? "The change was refused: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")) : message ?? "The change was refused.";
        var page = Page();
        page.StatusCode = StatusCodes.Status400BadRequest;
        return page;
    }

    /// <summary>
    /// A lifecycle button, the same for every kind: the kind's changes make it, if its lifecycle has it; a roll shows
    /// the new value in this response, anything else redirects to <c>?done=…</c>.
    /// </summary>
    private async Task<IActionResult> TransitionAsync(string type, string id, LifecycleTransition transition)
    {
        if (kinds.ForType(type) is not { } kind || changes.FirstOrDefault(c => c.Type == type) is not { } kindChanges)
        {
            return NotFound();
        }

        if (!kind.Lifecycle.Has(transition))
        {
            return await RefusedAsync(type, id, [], $"a {consoleKinds.Label(type)} cannot be {transition.Done()}");
        }

        var result = await kindChanges.TransitionAsync(id, transition, HttpContext.Actor(), HttpContext.RequestAborted);
        return result.Value is { Token: { } value, Id: { } successor } ? await ShowNewValueAsync(type, successor, value) : await ChangedAsync(type, id, result, transition.Done());
    }

    private async Task<bool> LoadAsync(string type, string id)
    {
        var ct = HttpContext.RequestAborted;
        if (await inventory.FindAsync(type, id, ct) is not { } item)
        {
            return false;
        }

        Item = item;
        Attributes = await AttributesAsync(item, ct);
        Fixes = await remediation.OptionsAsync(type, id, ct) ?? [];
        var now = clock.GetUtcNow();
        Usage = await audit.UsageAsync(type, id, now.AddDays(1 - UsageDays), now, ct);
        Actions = ActionsFor(item.Identity);
        return true;
    }

    private async Task<IReadOnlyList<IdentityAttribute>> AttributesAsync(InventoryItem item, CancellationToken ct) =>
        consoleKinds.Find(item.Identity.Type)?.Detail is { } detail ? await detail.AttributesAsync(item, ct) : [];

    /// <summary>The kind's lifecycle as buttons: none once retired; disable only when active and enable only when disabled.</summary>
    private IReadOnlyList<LifecycleAction> ActionsFor(NhiRecord identity) =>
        identity.Retired || kinds.ForType(identity.Type) is not { } kind || !changes.Any(c => c.Type == identity.Type)
            ? []
            : kind.Lifecycle.Transitions.Where(t => t switch
            {
                LifecycleTransition.Disable => identity.State == IdentityStatus.Active,
                LifecycleTransition.Enable => identity.State == IdentityStatus.Disabled,
                _ => true,
            }).Select(Button).ToList();

    /// <summary>The button of a transition, with the question asked first when it cannot be undone.</summary>
    private static LifecycleAction Button(LifecycleTransition transition) => transition switch
    {
        LifecycleTransition.Roll => new("Roll", "Roll", "Roll this token? Its current value stops working at once; the new value is shown once."),
        LifecycleTransition.Revoke => new("Revoke", "Revoke", "Revoke this token for good? Everything using it is refused from now on."),
        LifecycleTransition.Kill => new("Kill", "Kill", "Kill this agent? It is refused from its next request on, for good."),
        _ => new(transition.ToString(), transition.ToString()),
    };
}
