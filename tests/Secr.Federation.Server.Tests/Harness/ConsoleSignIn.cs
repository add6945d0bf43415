using System.Text.RegularExpressions;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>The console's sign-in form as a browser posts it: the antiforgery field from the page, then the token.</summary>
public static partial class ConsoleSignIn
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri login, string token)
    {
        var csrf = Csrf(await client.GetStringAsync(login));
        return await client.PostAsync(login, new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["__csrf"] = csrf }));
    }

    /// <summary>The antiforgery field's value in a console page.</summary>
    public static string Csrf(string page)
    {
        var csrf = CsrfField().Match(page).Groups[1].Value;
        Assert.NotEmpty(csrf);
        return csrf;
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
