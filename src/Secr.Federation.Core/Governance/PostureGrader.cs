using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;

namespace Secr.Federation.Core.Governance;

/// <summary>
/// Grades an identity A–F from five pass/fail dimensions (expiry, rotation, scope, conditional access, activity):
/// 0 failed → A, 1 → B, 2 → C, 3 → D, 4 or more → F, each failure counting its weight. An expired (not revoked)
/// credential, an offboarded owner or a value reported leaked (until the credential is rolled or retired) is F outright. A revoked or killed identity is not graded.
/// <para>
/// Reuse and possible human use, seen in the audit, count as one failure each (their weights, <see cref="PostureDimension.Reuse"/>
/// and <see cref="PostureDimension.HumanUse"/>): they judge how the identity is used, not how it is configured, so
/// they are flags beside the dimensions rather than part of one, and they are inferences (a shared NAT, a person's
/// one-off test) that lower a grade a step rather than fail it outright, as a leak does.
/// </para>
/// </summary>
public sealed class PostureGrader(PostureSettings settings)
{
    public Posture Grade(NhiRecord identity, TimeSpan? maxLifetime, DateTimeOffset now)
    {
        var dimensions = new[]
        {
            Expiry(identity, maxLifetime, now),
            Rotation(identity, now),
            Scope(identity),
            ConditionalAccess(identity),
            Activity(identity, now),
        };
        var ownership = identity.Owner switch
        {
            OwnerState.Offboarded => new Finding(FindingKind.OwnerOffboarded),
            OwnerState.Missing => new Finding(FindingKind.OwnerMissing),
            _ => null,
        };

        var leak = identity.LeakedAt is null ? null : new Finding(FindingKind.Leaked);
        var usage = new[] { Reuse(identity), HumanUse(identity) }.OfType<Finding>().ToList();
        if (identity.Retired)
        {
            return new Posture(null, dimensions, ownership, leak, usage);
        }

        var failed = dimensions.Where(d => !d.Passed).Sum(d => settings.WeightOf(d.Dimension))
            + usage.Sum(f => settings.WeightOf(f.Kind == FindingKind.Reused ? PostureDimension.Reuse : PostureDimension.HumanUse));
        var failsOutright = identity.State == IdentityStatus.Expired || identity.Owner == OwnerState.Offboarded || leak is not null;
        var grade = failsOutright ? 'F' : Grades.Ordered[Math.Min(failed, Grades.Ordered.Length - 1)];
        return new Posture(grade, dimensions, ownership, leak, usage);
    }

    /// <summary>
    /// Reused when a kind of source reaches its threshold. Networks count only for an identity that holds a credential:
    /// a binding's runners come from its platform's pool, so its repositories and workflows tell reuse instead.
    /// </summary>
    private Finding? Reuse(NhiRecord identity)
    {
        static int? Over(int count, int threshold) => threshold > 0 && count >= threshold ? count : null;
        var counts = new ReuseCounts(
            identity.HasCredential ? Over(identity.Usage.Networks, settings.ReuseDistinctNetworks) : null,
            Over(identity.Usage.Repositories, settings.ReuseDistinctRepositories),
            Over(identity.Usage.Workflows, settings.ReuseDistinctWorkflows));
        return counts == new ReuseCounts(null, null, null) ? null : new Finding(FindingKind.Reused, Days: (int)settings.UsageWindow.TotalDays, Reuse: counts);
    }

    private Finding? HumanUse(NhiRecord identity)
    {
        var signs = (identity.Usage.BrowserUseAt is null ? HumanUseSigns.None : HumanUseSigns.BrowserUserAgent)
            | (identity.Usage.PersonAddressUseAt is null ? HumanUseSigns.None : HumanUseSigns.PersonAddress);
        return settings.DetectHumanUse && signs != HumanUseSigns.None ? new Finding(FindingKind.HumanUse, HumanUse: signs) : null;
    }

    /// <summary>The organisation's grade: the median of the graded identities; with an even count, the better of the two middle grades.</summary>
    public static char? Median(IEnumerable<char?> grades)
    {
        var sorted = grades.OfType<char>().Order().ToList();
        return sorted.Count == 0 ? null : sorted[(sorted.Count - 1) / 2];
    }

    private static DimensionResult Expiry(NhiRecord identity, TimeSpan? maxLifetime, DateTimeOffset now)
    {
        if (!identity.HasCredential)
        {
            // A binding holds no secret: the workload's platform token and the access token are short-lived by design.
            return new(PostureDimension.Expiry, true, null);
        }

        if (identity.ExpiresAt is not { } expiresAt)
        {
            return new(PostureDimension.Expiry, false, new(FindingKind.NoExpiry));
        }

        if (expiresAt <= now)
        {
            return new(PostureDimension.Expiry, false, new(FindingKind.Expired));
        }

        var issuedAt = identity.LastRotatedAt ?? identity.CreatedAt;
        return maxLifetime is { } max && expiresAt - issuedAt > max
            ? new(PostureDimension.Expiry, false, new(FindingKind.ExpiryBeyondPolicy))
            : new(PostureDimension.Expiry, true, null);
    }

    private DimensionResult Rotation(NhiRecord identity, DateTimeOffset now)
    {
        if (!identity.HasCredential)
        {
            return new(PostureDimension.Rotation, true, null);
        }

        var rotatedAt = identity.LastRotatedAt ?? identity.CreatedAt;
        if (now - rotatedAt <= settings.RotationWindow)
        {
            return new(PostureDimension.Rotation, true, null);
        }

        var neverRolled = identity.LastRotatedAt is null || identity.LastRotatedAt == identity.CreatedAt;
        return new(PostureDimension.Rotation, false, neverRolled ? new(FindingKind.NeverRotated) : new(FindingKind.NotRotated, Days: (int)(now - rotatedAt).TotalDays));
    }

    private static DimensionResult Scope(NhiRecord identity)
    {
        if (identity.Project is null || identity.Environment is null)
        {
            return new(PostureDimension.Scope, false, new(FindingKind.NoScope));
        }

        if (identity.SecretAllowlist is { } allowlist && SecretAllowlist.AdmitsEverything(allowlist))
        {
            return new(PostureDimension.Scope, false, new(FindingKind.BroadSecretScope));
        }

        if (!identity.MatchesClaims)
        {
            return new(PostureDimension.Scope, true, null);
        }

        // Not pinning the tenant is the wider hole (any repository of the platform), so the finding names that first.
        return (identity.PinsImmutableId, identity.PinsBranchOrEnvironment) switch
        {
            (false, var branch) => new(PostureDimension.Scope, false, new(FindingKind.BindingPinsNoTenant, Pin: identity.RequiredPin, PinsBranch: branch)),
            (true, false) => new(PostureDimension.Scope, false, new(FindingKind.BindingMatchesAnyBranch)),
            _ => new(PostureDimension.Scope, true, null),
        };
    }

    private static DimensionResult ConditionalAccess(NhiRecord identity) =>
        identity.HasIpRestriction || identity.HasTimeWindow || identity.HasUserAgentRestriction || identity.DpopRequired
            ? new(PostureDimension.ConditionalAccess, true, null)
            : new(PostureDimension.ConditionalAccess, false, new(FindingKind.NoIpRestriction));

    private DimensionResult Activity(NhiRecord identity, DateTimeOffset now)
    {
        var idleSince = identity.LastUsedAt ?? identity.CreatedAt;
        var idle = now - idleSince;
        return idle <= settings.StalenessWindow
            ? new(PostureDimension.Activity, true, null)
            : new(PostureDimension.Activity, false, new(FindingKind.Stale, Days: (int)idle.TotalDays));
    }
}
