using Microsoft.AspNetCore.Mvc;
using Secr.Federation.Application.Federation;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>A new binding: <c>POST /api/v1/bindings</c>.</summary>
public sealed class BindingNewModel(TrustStore trust, BindingAdministration bindings, ScopeStore scopes, UserStore users) : BindingFormPage(trust, bindings, scopes, users)
{
    public Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // The box starts ticked: a new binding is enabled unless the admin unticks it.
        Form.Enabled = true;
        return RenderAsync(ct);
    }
}
