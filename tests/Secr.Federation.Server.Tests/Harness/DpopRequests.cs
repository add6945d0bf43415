namespace Secr.Federation.Server.Tests.Harness;

/// <summary>The requests a DPoP client sends: a grant with its proof, and a resource request under a scheme with an optional proof.</summary>
public static class DpopRequests
{
    public static HttpRequestMessage Grant(string grantType, string token, string proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = grantType, ["token"] = token }),
        };
        request.Headers.Add("DPoP", proof);
        return request;
    }

    public static HttpRequestMessage Read(string url, string scheme, string token, string? proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return request;
    }
}
