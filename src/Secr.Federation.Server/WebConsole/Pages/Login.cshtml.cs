using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Data.Audit;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.WebConsole.Pages;

public sealed class LoginModel(AdminAudit audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || await ConsoleSession.SignInAsync(HttpContext, token.Trim()) is not { } principal)
        {
            // 401, which spends from the address's failure budget (ClientRateLimitMiddleware), as a wrong admin token at the API does.
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Error = "That is not the personal token of an active admin.";
            return Page();
        }

        HttpContext.User = principal;
        await audit.RecordAsync(HttpContext.Actor(), "admin.console_signed_in", "signed in to the console", null, HttpContext.RequestAborted);
        return LocalRedirect(ReturnUrl is { } url && url.StartsWith(ConsoleRegistration.Path, StringComparison.Ordinal) && Url.IsLocalUrl(url) ? url : ConsoleRegistration.Path);
    }
}
