using Secr.Federation.Core.Admission;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// Who is calling, read once for every endpoint that admits or audits a workload: the connection's remote address,
/// which <see cref="TrustedProxies"/> has already set to the forwarded client when the peer is a trusted proxy.
/// </summary>
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
