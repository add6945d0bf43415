using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Secr.Federation.Core.Federation.Explain;

namespace Secr.Federation.Server.WebConsole.Pages;

/// <summary>
/// Explain: the same <see cref="BindingExplainer"/> as <c>POST /api/v1/explain</c>, for a pasted subject token (JWT)
/// or a claims object. A plain form POST; <c>explain.js</c> re-runs it as the admin types through the Live handler,
/// which returns only the rendered report. Nothing is consumed or issued, and the input is never written back
/// anywhere but the admin's own textarea.
/// </summary>
public sealed class ExplainModel(BindingExplainer explainer) : PageModel
{
    [BindProperty]
    public string? Subject { get; set; }

    public ExplainReport? Report { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await ExplainAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostLiveAsync(CancellationToken ct)
    {
        await ExplainAsync(ct);
        return Partial("_ExplainResult", this);
    }

    private async Task ExplainAsync(CancellationToken ct)
    {
        var text = Subject?.Trim() ?? "";
        if (text.Length == 0)
        {
            return;
        }

        if (!text.StartsWith('{'))
        {
            Report = await explainer.ExplainTokenAsync(text, null, ct);
            return;
        }

        try
        {
            using var claims = JsonDocument.Parse(text);
            Report = await explainer.ExplainClaimsAsync(claims.RootElement, null, null, ct);
        }
        catch (JsonException)
        {
            // As the API answers an unreadable body: 400.
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = "That is not a JSON object of claims (or a JWT).";
        }
    }
}
