using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>Sign-out is a POST (with the CSRF token), so no link or image elsewhere can end a session.</summary>
public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect(ConsoleRegistration.Path);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleSession.Scheme);
        return LocalRedirect(ConsoleRegistration.Path + "/login");
    }
}
