using System.Text.RegularExpressions;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>The console's sign-in form as a browser posts it: the antiforgery field from the page, then the token.</summary>
public static partial class ConsoleSignIn
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri login, string token)
    {
        var csrf = CsrfField().Match(await client.GetStringAsync(login)).Groups[1].Value;
        Assert.NotEmpty(csrf);
        return await client.PostAsync(login, new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["__csrf"] = csrf }));
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
