using Microsoft.AspNetCore.Mvc;
using Secr.Federation.Application.Federation;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>An existing binding, replaced as a whole like <c>PUT /api/v1/bindings/{name}</c>; its owner stays.</summary>
public sealed class BindingEditModel(TrustStore trust, BindingAdministration bindings, ScopeStore scopes, UserStore users) : BindingFormPage(trust, bindings, scopes, users)
{
    private readonly TrustStore _trust = trust;

    public override string? EditedName => RouteData.Values["name"] as string;

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        if (await _trust.FindBindingAsync(name, ct) is not { } binding)
        {
            return NotFound();
        }

        var issuer = (await _trust.ListIssuersAsync(ct)).First(i => i.Id == binding.IssuerId);
        Form = BindingForm.From(binding, issuer.Name);
        return await RenderAsync(ct);
    }
}
