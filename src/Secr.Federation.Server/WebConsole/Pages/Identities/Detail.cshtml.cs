using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities;
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
    NhiInventory inventory, Remediation remediation, IAuditReader audit, MachineTokenStore tokens, AgentStore agents, TrustStore trust, TimeProvider clock)
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

    public Task<IActionResult> OnPostDisableAsync(string type, string id) => SwitchAsync(type, id, enable: false);

    public Task<IActionResult> OnPostEnableAsync(string type, string id) => SwitchAsync(type, id, enable: true);

    public async Task<IActionResult> OnPostRevokeAsync(string type, string id) => type == IdentityType.MachineToken
        ? await ChangedAsync(type, id, await tokens.RevokeAsync(id, HttpContext.Actor(), HttpContext.RequestAborted), "revoked")
        : await RefusedAsync(type, id, [], "only a machine token is revoked; kill an agent, disable a binding");

    public async Task<IActionResult> OnPostKillAsync(string type, string id) => type == IdentityType.Agent
        ? await ChangedAsync(type, id, await agents.KillAsync(id, HttpContext.Actor(), HttpContext.RequestAborted), "killed")
        : await RefusedAsync(type, id, [], "only an agent has a kill switch");

    public async Task<IActionResult> OnPostRollAsync(string type, string id)
    {
        if (type != IdentityType.MachineToken)
        {
            return await RefusedAsync(type, id, [], "only a machine token can be rolled");
        }

        var rolled = await tokens.RollAsync(id, HttpContext.Actor(), HttpContext.RequestAborted);
        return rolled.Value is { } issued ? await ShowNewValueAsync(issued.Identity.Id, issued.Value) : await RefusedAsync(type, id, rolled.Errors, rolled.Message);
    }

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
            return await ShowNewValueAsync(successor, value);
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

    private async Task<IActionResult> ShowNewValueAsync(string successor, string value)
    {
        await LoadAsync(IdentityType.MachineToken, successor);
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

    /// <summary>Disable and enable, the same pair of buttons for every kind of identity.</summary>
    private async Task<IActionResult> SwitchAsync(string type, string id, bool enable)
    {
        var (actor, ct, done) = (HttpContext.Actor(), HttpContext.RequestAborted, enable ? "enabled" : "disabled");
        return type switch
        {
            IdentityType.MachineToken => await ChangedAsync(type, id, enable ? await tokens.EnableAsync(id, actor, ct) : await tokens.DisableAsync(id, actor, ct), done),
            IdentityType.Agent => await ChangedAsync(type, id, enable ? await agents.EnableAsync(id, actor, ct) : await agents.DisableAsync(id, actor, ct), done),
            IdentityType.OidcBinding => await ChangedAsync(type, id, await SetBindingEnabledAsync(id, enable), done),
            _ => NotFound(),
        };
    }

    private async Task<ChangeResult<TrustBinding>> SetBindingEnabledAsync(string id, bool enabled) =>
        await trust.FindBindingByIdAsync(id, HttpContext.RequestAborted) is { } binding
            ? await trust.SetBindingEnabledAsync(binding.Name, enabled, HttpContext.Actor(), HttpContext.RequestAborted)
            : ChangeResult<TrustBinding>.NotFound($"binding '{id}' does not exist");

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
        Actions = ActionsFor(item.Identity.Type, item.Identity.Status);
        return true;
    }

    private async Task<IReadOnlyList<IdentityAttribute>> AttributesAsync(InventoryItem item, CancellationToken ct)
    {
        var (type, id, owner) = (item.Identity.Type, item.Identity.Id, item.OwnerEmail);
        switch (type)
        {
            case IdentityType.MachineToken when await tokens.FindAsync(id, ct) is { } token:
                return IdentityAttributes.Of(MachineTokensApi.ToResponse(token, clock), owner);
            case IdentityType.Agent when await agents.FindAsync(id, ct) is { } agent:
                return IdentityAttributes.Of(AgentsApi.ToResponse(agent, clock), owner);
            case IdentityType.OidcBinding when await trust.FindBindingByIdAsync(id, ct) is { } binding:
                var issuer = (await trust.ListIssuersAsync(ct)).First(i => i.Id == binding.IssuerId).Name;
                return IdentityAttributes.Of(BindingsApi.ToResponse(binding, issuer), owner, item.Identity.LastUsedAt);
            default:
                return [];
        }
    }

    private static IReadOnlyList<LifecycleAction> ActionsFor(string type, string status) => type switch
    {
        _ when status is "revoked" or "killed" => [],
        IdentityType.MachineToken =>
        [
            .. Switch(status),
            new("Roll", "Roll", "Roll this token? Its current value stops working at once; the new value is shown once."),
            new("Revoke", "Revoke", "Revoke this token for good? Everything using it is refused from now on."),
        ],
        IdentityType.Agent => [.. Switch(status), new("Kill", "Kill", "Kill this agent? It is refused from its next request on, for good.")],
        IdentityType.OidcBinding => Switch(status),
        _ => [],
    };

    /// <summary>Disable for an active identity, enable for a disabled one; an expired one gets neither (it is rolled, revoked or killed instead).</summary>
    private static IReadOnlyList<LifecycleAction> Switch(string status) => status switch
    {
        "active" => [new("Disable", "Disable")],
        "disabled" => [new("Enable", "Enable")],
        _ => [],
    };
}
