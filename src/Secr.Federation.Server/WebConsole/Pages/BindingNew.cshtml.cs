using Microsoft.AspNetCore.Mvc;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>A new binding: <c>POST /api/v1/bindings</c>.</summary>
public sealed class BindingNewModel(TrustStore trust, ScopeStore scopes, UserStore users) : BindingFormPage(trust, scopes, users)
{
    public Task<IActionResult> OnGetAsync(CancellationToken ct) => RenderAsync(ct);
}
