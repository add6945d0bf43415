using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Application.Federation;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>
/// The binding form behind <c>/console/bindings/new</c> and <c>/console/bindings/{name}/edit</c>. Saving is the API's
/// <c>POST</c> or <c>PUT /api/v1/bindings</c>: the same mapping (<see cref="BindingRequests"/>), the same store call,
/// audited as the signed-in admin. "Check" runs the store's checks without saving. Rows are added and removed by
/// submit buttons that re-render the form, so it works without script; every button names its handler, because
/// after a re-render the page's address still carries the previous one.
/// </summary>
public abstract class BindingFormPage(TrustStore trust, BindingAdministration bindings, ScopeStore scopes, UserStore users) : PageModel
{

    [BindProperty]
    public BindingForm Form { get; set; } = new();

    public FieldErrors Errors { get; private set; } = FieldErrors.None;

    /// <summary>Set after "Check": every rule with its outcome.</summary>
    public IReadOnlyList<BindingCheck>? Checks { get; private set; }

    public IReadOnlyList<TrustedIssuer> Issuers { get; private set; } = [];

    public IReadOnlyList<ScopeStore.Project> Projects { get; private set; } = [];

    /// <summary>The binding being edited (fixed by the address, like the API's PUT); null for a new one.</summary>
    public virtual string? EditedName => null;

    private bool Replace => EditedName is not null;

    public IReadOnlyList<BindingCheck> ChecksFor(string field) => Checks?.Where(c => c.Field == field).ToList() ?? [];

    public async Task<IActionResult> OnPostAddConditionAsync(CancellationToken ct)
    {
        Form.Conditions.Add(new());
        return await RenderAsync(ct);
    }

    public async Task<IActionResult> OnPostRemoveConditionAsync(int remove, CancellationToken ct)
    {
        if (remove >= 0 && remove < Form.Conditions.Count)
        {
            Form.Conditions.RemoveAt(remove);
        }

        return await RenderAsync(ct);
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        var (binding, errors) = await MapAsync(ct);
        Checks = (await bindings.CheckAsync(binding, Form.Issuer, ct)).Checks;
        Errors = new FieldErrors(errors.Concat(Checks.SelectMany(c => c.Errors)));
        return await RenderAsync(ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var (binding, errors) = await MapAsync(ct);
        var saved = errors.Count > 0 ? ChangeResult<TrustBinding>.Invalid(errors) : await bindings.SaveAsync(binding, Form.Issuer, Replace, Form.EnabledChange, HttpContext.Actor(), ct);
        if (saved.Status == ChangeStatus.Ok)
        {
            return LocalRedirect($"{ConsoleRegistration.Path}/bindings?saved={Uri.EscapeDataString(binding.Name)}");
        }

        // 400 (404 for an edit of a binding deleted meanwhile), as the API answers the same request.
        Response.StatusCode = saved.Status == ChangeStatus.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        Errors = new FieldErrors(saved.Status == ChangeStatus.Invalid ? saved.Errors : [new ValidationError("name", saved.Message!)]);
        return await RenderAsync(ct);
    }

    protected async Task<IActionResult> RenderAsync(CancellationToken ct)
    {
        Issuers = await trust.ListIssuersAsync(ct);
        Projects = await scopes.ListAsync(ct);
        if (Form.Conditions.Count == 0)
        {
            Form.Conditions.Add(new());
        }

        return Page();
    }

    private async Task<(TrustBinding Binding, IReadOnlyList<ValidationError> Errors)> MapAsync(CancellationToken ct)
    {
        Form.Name = EditedName ?? Form.Name;
        var formErrors = new List<ValidationError>();
        var request = Form.ToRequest(formErrors);
        var (binding, errors) = await BindingRequests.ToDomainAsync(request, Replace, users, HttpContext.Actor(), ct);
        return (binding, formErrors.Concat(errors).ToList());
    }
}
