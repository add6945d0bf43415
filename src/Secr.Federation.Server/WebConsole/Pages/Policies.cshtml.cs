using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Application.Governance;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>
/// Organisation policies: <c>GET /api/v1/policies</c>, and <c>PUT</c> with its validation and mapping
/// (<see cref="PoliciesApi.PoliciesDto"/>). "Preview" is the API's <c>?dry_run=true</c>; "Save" applies and audits
/// the change as the signed-in admin.
/// </summary>
public sealed class PoliciesModel(PolicyStore policies, PolicyAdministration administration, ScopeStore scopes) : PageModel
{
    [BindProperty]
    public PoliciesForm Form { get; set; } = new();

    public FieldErrors Errors { get; private set; } = FieldErrors.None;

    /// <summary>Set after "Preview": who the proposed policies would affect, and why.</summary>
    public IReadOnlyList<AffectedIdentity>? Preview { get; private set; }

    /// <summary>After a save (Post/Redirect/Get): how many identities it affected.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Affected { get; set; }

    /// <summary>Every environment of every project, and any the policies already name.</summary>
    public IReadOnlyList<string> Environments { get; private set; } = [];

    /// <summary>The grades a minimum can be: F admits every graded identity, so it is no gate.</summary>
    public IReadOnlyList<string> GateGrades { get; } = Grades.Ordered[..^1].Select(g => g.ToString()).ToList();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Form = PoliciesForm.From(await policies.GetAsync(ct));
        return await RenderAsync(ct);
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        if (await ValidatedAsync(ct) is not { } request)
        {
            return await RenderAsync(ct);
        }

        Preview = (await administration.SetAsync(request.ToPolicies(), dryRun: true, HttpContext.Actor(), ct)).Value;
        return await RenderAsync(ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (await ValidatedAsync(ct) is not { } request)
        {
            return await RenderAsync(ct);
        }

        var affected = await administration.SetAsync(request.ToPolicies(), dryRun: false, HttpContext.Actor(), ct);
        return LocalRedirect($"{ConsoleRegistration.Path}/policies?affected={affected.Value!.Count}");
    }

    /// <summary>The request when it is valid; otherwise null, with the errors shown and status 400.</summary>
    private async Task<PoliciesApi.PoliciesDto?> ValidatedAsync(CancellationToken ct)
    {
        var errors = new List<ValidationError>();
        var request = Form.ToRequest(errors);
        errors.AddRange(await administration.ValidateAsync(request.ToPolicies(), ct));
        if (errors.Count == 0)
        {
            return request;
        }

        Errors = new FieldErrors(errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return null;
    }

    private async Task<IActionResult> RenderAsync(CancellationToken ct)
    {
        Environments = (await scopes.ListAsync(ct)).SelectMany(p => p.Environments)
            .Concat(Form.MaxLifetimeDaysByEnvironment.Keys).Concat(Form.ReadWriteForbiddenEnvironments).Concat(Form.MinGradeByEnvironment.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return Page();
    }
}
