namespace Secr.Federation.Core.Identities;

/// <summary>
/// A status change machine tokens and agents share (disable, enable, revoke), so both follow one set of rules: it is
/// allowed only from the statuses listed, judged on the effective status (an expired credential is not active). Whether
/// the actor may lift a disablement is <see cref="Disablement.MayLift"/>'s to say.
/// </summary>
public sealed record StatusTransition(IdentityStatus To, IdentityStatus[] From)
{
    /// <summary>Brownout: refused on every use until enabled again.</summary>
    public static readonly StatusTransition Disable = new(IdentityStatus.Disabled, [IdentityStatus.Active]);

    public static readonly StatusTransition Enable = new(IdentityStatus.Active, [IdentityStatus.Disabled]);

    /// <summary>Permanent: nothing leaves the revoked status.</summary>
    public static readonly StatusTransition Revoke = new(IdentityStatus.Revoked, [IdentityStatus.Active, IdentityStatus.Disabled, IdentityStatus.Expired]);

    public bool Enables => To == IdentityStatus.Active;

    public bool IsAllowedFrom(IdentityStatus effective) => From.Contains(effective);
}
