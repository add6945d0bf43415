using Secr.Federation.Core.Admission;

namespace Secr.Federation.Server.Hosting;

/// <summary>Who is calling, read once from the transport for every endpoint that admits or audits a workload.</summary>
public static class HttpClientIdentity
{
    /// <summary>User agents are caller-chosen text: kept short so an audit row cannot be inflated by one request.</summary>
    public const int MaxUserAgentLength = 256;

    public static AdmissionClient AdmissionClient(this HttpContext http)
    {
        var userAgent = http.Request.Headers.UserAgent.ToString();
        return new AdmissionClient(
            http.Connection.RemoteIpAddress,
            userAgent.Length == 0 ? null : userAgent[..Math.Min(userAgent.Length, MaxUserAgentLength)],
            http.TraceIdentifier);
    }
}
