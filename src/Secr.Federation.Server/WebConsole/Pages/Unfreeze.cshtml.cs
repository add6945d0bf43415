using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Application.Scopes;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>The canary banner's unfreeze button: the same audited change as <c>POST /api/v1/projects/{project}/unfreeze</c>.</summary>
public sealed class UnfreezeModel(GuardAdministration guards) : PageModel
{
    public IActionResult OnGet() => LocalRedirect(ConsoleRegistration.Path + "/audit");

    public async Task<IActionResult> OnPostAsync(string project)
    {
        await guards.UnfreezeAsync(project, HttpContext.Actor(), HttpContext.RequestAborted);
        return LocalRedirect(ConsoleRegistration.Path + "/audit");
    }
}
