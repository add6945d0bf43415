using System.Net;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Policy;

/// <summary>
/// Restrictions checked on every use of an identity: client IP networks, a UTC time window, a user-agent pattern.
/// Empty restrictions allow everything; each present one must hold.
/// </summary>
public sealed record ConditionalAccess
{
    public static readonly ConditionalAccess None = new();

    public IReadOnlyList<Cidr> AllowedNetworks { get; init; } = [];
    public TimeWindow? TimeWindow { get; init; }
    public string? UserAgentPattern { get; init; }

    public bool IsEmpty => AllowedNetworks.Count == 0 && TimeWindow is null && UserAgentPattern is null;

    /// <summary>The first restriction that does not hold, as a refusal code and an admin-facing detail; null when all hold.</summary>
    public (RefusalCode Code, string Detail)? Check(IPAddress? ip, string? userAgent, DateTimeOffset now)
    {
        if (AllowedNetworks.Count > 0 && (ip is null || !AllowedNetworks.Any(n => n.Contains(ip))))
        {
            return (RefusalCode.IpNotAllowed, $"client address {ip?.ToString() ?? "(unknown)"} is outside {string.Join(", ", AllowedNetworks)}");
        }

        if (TimeWindow is { } window && !window.Contains(now))
        {
            return (RefusalCode.OutsideTimeWindow, $"{now:yyyy-MM-dd HH:mm} UTC is outside {window}");
        }

        if (UserAgentPattern is { } pattern && (userAgent is null || !WildcardPattern.IsMatch(pattern, userAgent)))
        {
            return (RefusalCode.UserAgentNotAllowed, $"user agent '{userAgent ?? "(none)"}' does not match '{pattern}'");
        }

        return null;
    }
}
