using Secr.Federation.Core.Governance;

namespace Secr.Federation.Application.Governance;

/// <summary>Every remediation fix, and the finding each one remedies; a kind offers those it supports (<see cref="IIdentityKindChanges.Fixes"/>).</summary>
public static class FixCatalog
{
    public const string SetExpiry = "set-expiry";
    public const string Roll = "roll";
    public const string NarrowProject = "narrow-project";
    public const string NarrowAllowlist = "narrow-allowlist";
    public const string AllowObservedIps = "allow-observed-ips";
    public const string Transfer = "transfer";
    public const string Disable = "disable";

    /// <summary>The fix that remedies <paramref name="finding"/>, if any.</summary>
    public static FixOption? For(Finding finding) => finding.Kind switch
    {
        FindingKind.NoExpiry or FindingKind.ExpiryBeyondPolicy => new(SetExpiry, finding, "Set an expiry (the rotation window, or the max-lifetime policy if shorter)"),
        FindingKind.NeverRotated or FindingKind.NotRotated => new(Roll, finding, "Roll the token: a new value replaces it at once (shown once; update where it is used)"),
        FindingKind.NoScope => new(NarrowProject, finding, "Narrow the scope from the organisation to one project", Needs: "project"),
        FindingKind.BroadSecretScope => new(NarrowAllowlist, finding, "Narrow the allowlist to the keys read in the last 30 days"),
        FindingKind.NoIpRestriction => new(AllowObservedIps, finding, "Allow only the IP addresses it was used from in the last 30 days"),
        FindingKind.OwnerOffboarded or FindingKind.OwnerMissing => new(Transfer, finding, "Transfer it to another active owner", Needs: "to"),
        FindingKind.Stale => new(Disable, finding, "Disable the unused identity"),
        _ => null,
    };
}
