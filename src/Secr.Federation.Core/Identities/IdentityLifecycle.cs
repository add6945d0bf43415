using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Identities;

/// <summary>A change an admin (or, for their own identities, a member) may make to an identity after it exists.</summary>
public enum LifecycleTransition
{
    Disable,
    Enable,

    /// <summary>Replace the credential's value; the old value stops working at once.</summary>
    Roll,

    /// <summary>Retire for good: a machine token's revoke.</summary>
    Revoke,

    /// <summary>Retire for good at once: an agent's kill switch.</summary>
    Kill,
}

public static class LifecycleTransitions
{
    /// <summary>What an identity is after the transition: <c>disabled</c>, <c>rolled</c>, <c>killed</c>.</summary>
    public static string Done(this LifecycleTransition transition) => transition switch
    {
        LifecycleTransition.Disable => "disabled",
        LifecycleTransition.Enable => "enabled",
        LifecycleTransition.Roll => "rolled",
        LifecycleTransition.Revoke => "revoked",
        _ => "killed",
    };
}

/// <summary>
/// How one kind of identity lives: the transitions it has, what its retirement is called, and how a use is refused in
/// each state. Owned by the kind (<see cref="IIdentityKind.Lifecycle"/>) and carried by every identity it resolves, so
/// the guards refuse a disabled binding or a killed agent in that kind's own words without asking which kind it is.
/// </summary>
public sealed record IdentityLifecycle
{
    public required IReadOnlyList<LifecycleTransition> Transitions { get; init; }

    /// <summary>The refusal of a use while disabled.</summary>
    public required RefusalCode DisabledCode { get; init; }

    /// <summary>The refusal of a use once retired (revoked or killed).</summary>
    public required RefusalCode RetiredCode { get; init; }

    /// <summary>What a retired identity of this kind is called: <c>revoked</c>, or an agent's <c>killed</c>.</summary>
    public string RetiredWord { get; init; } = IdentityStatus.Revoked.ToText();

    public bool Has(LifecycleTransition transition) => Transitions.Contains(transition);

    /// <summary>The status as this kind's users read it (a revoked agent is <c>killed</c>).</summary>
    public string StatusText(IdentityStatus status) => status == IdentityStatus.Revoked ? RetiredWord : status.ToText();

    /// <summary>Why a use of <paramref name="identity"/> in the <paramref name="effective"/> status is refused; null when it is live.</summary>
    public AdmissionRefusal? Refuse(ResolvedIdentity identity, IdentityStatus effective) => effective switch
    {
        IdentityStatus.Disabled => Refusals.Create(DisabledCode, $"'{identity.Name}' is disabled"),
        IdentityStatus.Revoked => Refusals.Create(RetiredCode, $"'{identity.Name}' was {RetiredWord}"),
        IdentityStatus.Expired => Refusals.Create(RefusalCode.TokenExpired, $"'{identity.Name}' expired at {identity.ExpiresAt:O}"),
        _ => null,
    };
}
