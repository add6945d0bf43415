namespace Secr.Federation.Core.Identities;

/// <summary>
/// Lifecycle of a credential-backed identity. <see cref="Expired"/> is never stored: it is derived from the expiry,
/// so a credential cannot be "active" one second past its expiry because a job did not run.
/// </summary>
public enum IdentityStatus
{
    Active,

    /// <summary>Brownout: every use is refused with 403 while the credential stays in the system; can be enabled again.</summary>
    Disabled,

    Expired,

    /// <summary>Permanent: a revoked machine token, or an agent whose kill switch was pulled.</summary>
    Revoked,
}

public static class IdentityStatusText
{
    public static string ToText(this IdentityStatus status) => status switch
    {
        IdentityStatus.Disabled => "disabled",
        IdentityStatus.Expired => "expired",
        IdentityStatus.Revoked => "revoked",
        _ => "active",
    };

    public static bool TryParse(string? text, out IdentityStatus status)
    {
        foreach (var candidate in Enum.GetValues<IdentityStatus>())
        {
            if (candidate.ToText() == text)
            {
                status = candidate;
                return true;
            }
        }

        status = IdentityStatus.Active;
        return false;
    }

    /// <summary>The status as of <paramref name="now"/>: a stored active or disabled credential past its expiry is expired.</summary>
    public static IdentityStatus Effective(IdentityStatus stored, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        stored is IdentityStatus.Active or IdentityStatus.Disabled && expiresAt is { } expiry && expiry <= now ? IdentityStatus.Expired : stored;
}
