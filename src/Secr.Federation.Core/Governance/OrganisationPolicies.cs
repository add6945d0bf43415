using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Governance;

/// <summary>
/// The organisation's policies. Each is enforced when identities are created or changed (a violating create is refused
/// with the policy's name), continuously by the background job, and through brownout for identities that violate one.
/// </summary>
public sealed record OrganisationPolicies
{
    public const string RequireExpiry = "require-expiry";
    public const string MaxLifetime = "max-lifetime";
    public const string NoReadWritePrefix = "no-read-write-in-";

    /// <summary><c>leak-response=disable</c>, the default: a credential reported leaked is disabled, and only an admin enables it again.</summary>
    public const string LeakDisable = "disable";

    /// <summary><c>leak-response=revoke</c>: a credential reported leaked is retired at once (a machine token revoked, an agent killed).</summary>
    public const string LeakRevoke = "revoke";

    /// <summary><c>require-dpop=off</c>, the default: a token may be requested and presented without a proof of possession.</summary>
    public const string DpopOff = "off";

    /// <summary><c>require-dpop=agents</c>: agents' tokens must be bound to a key (RFC 9449); the likeliest to leak, from laptops and sandboxes.</summary>
    public const string DpopAgents = "agents";

    /// <summary><c>require-dpop=all</c>: every identity's tokens must be bound to a key.</summary>
    public const string DpopAll = "all";

    public const string RequireDpopPolicy = "require-dpop";

    public const string MinGradePolicy = "min-grade";

    public static readonly OrganisationPolicies None = new();

    /// <summary><c>require-expiry</c>: every new machine token must have an expiry.</summary>
    public bool RequireExpiryEnabled { get; init; }

    /// <summary><c>max-lifetime --days N</c>: credentials must expire within N days of issue.</summary>
    public int? MaxLifetimeDays { get; init; }

    /// <summary>Per-environment overrides of the maximum lifetime (e.g. prod: 90).</summary>
    public IReadOnlyDictionary<string, int> MaxLifetimeDaysByEnvironment { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// <c>auto-disable --after Nd</c>: identities unused for N days are disabled by the background job; one enabled
    /// again gets N days from its enabling (see <see cref="AutoDisables"/>).
    /// </summary>
    public int? AutoDisableAfterDays { get; init; }

    /// <summary><c>brownout --percent P</c>: P% of the requests of non-compliant identities are refused, evenly spread.</summary>
    public int BrownoutPercent { get; init; }

    /// <summary><c>no-read-write-in-{env}</c>: read_write is forbidden in these environments.</summary>
    public IReadOnlyList<string> ReadWriteForbiddenEnvironments { get; init; } = [];

    /// <summary>
    /// <c>leak-response</c>: what containment does to a credential a scanner reports (<see cref="LeakDisable"/> or
    /// <see cref="LeakRevoke"/>). A personal admin token has no disabled state, so it is always revoked.
    /// </summary>
    public string LeakResponse { get; init; } = LeakDisable;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool RevokesLeaks => LeakResponse == LeakRevoke;

    /// <summary>
    /// <c>require-dpop</c>: whose requests must prove a DPoP key (<see cref="DpopOff"/>, <see cref="DpopAgents"/> or
    /// <see cref="DpopAll"/>). A covered identity gets a token only with a proof, and uses the secrets API only with a
    /// key-bound token and its proof: a raw machine or agent token, or a bearer access token, is refused there.
    /// </summary>
    public string RequireDpop { get; init; } = DpopOff;

    /// <summary>Whether <c>require-dpop</c> covers identities of <paramref name="identityType"/>.</summary>
    public bool RequiresDpop(string identityType) =>
        RequireDpop == DpopAll || (RequireDpop == DpopAgents && identityType == IdentityType.Agent);

    /// <summary>
    /// <c>min-grade</c>: identities graded below it (<see cref="Grades.IsBelow"/>) are refused at the token endpoint and
    /// the secrets API; null when off. A hard gate, after brownout's softer warning.
    /// </summary>
    public string? MinGrade { get; init; }

    /// <summary>Per-environment overrides of <see cref="MinGrade"/> (<c>min-grade.prod=B</c>), in either direction.</summary>
    public IReadOnlyDictionary<string, string> MinGradeByEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>The minimum grade for an identity in <paramref name="environment"/>: its environment's, else the organisation's; null when none.</summary>
    public string? MinGradeFor(string? environment) =>
        environment is not null && MinGradeByEnvironment.TryGetValue(environment, out var grade) ? grade : MinGrade;

    public TimeSpan? MaxLifetimeFor(string? environment) =>
        environment is not null && MaxLifetimeDaysByEnvironment.TryGetValue(environment, out var days) ? TimeSpan.FromDays(days)
        : MaxLifetimeDays is { } global ? TimeSpan.FromDays(global) : null;

    /// <summary>
    /// Whether <c>auto-disable</c> disables <paramref name="identity"/> at <paramref name="now"/>: it is active, unused
    /// (never used: since its creation) for more than N days, and not enabled again within them. Enabling is not a use,
    /// but whoever enables an identity still needs it, so it gets a full period again. The background job applies the
    /// same rule as a query.
    /// </summary>
    public bool AutoDisables(NhiRecord identity, DateTimeOffset now)
    {
        if (AutoDisableAfterDays is not { } days || identity.State != IdentityStatus.Active)
        {
            return false;
        }

        var cutoff = now - TimeSpan.FromDays(days);
        return (identity.LastUsedAt ?? identity.CreatedAt) < cutoff && (identity.EnabledAt is null || identity.EnabledAt < cutoff);
    }

    /// <summary>
    /// What a policy setting may be, named by the API's fields; an empty list when all are acceptable. An environment
    /// no project has (<paramref name="knownEnvironments"/>) is refused: a typo such as <c>prdo</c> would otherwise
    /// leave the real environment without the policy its admin meant to set.
    /// </summary>
    public IReadOnlyList<ValidationError> Validate(IReadOnlyCollection<string> knownEnvironments)
    {
        var errors = new List<ValidationError>();
        if (MaxLifetimeDays is < 1 or > 3650 || MaxLifetimeDaysByEnvironment.Values.Any(d => d is < 1 or > 3650))
        {
            errors.Add(new("max_lifetime_days", "must be between 1 and 3650 days"));
        }

        if (AutoDisableAfterDays is < 1 or > 3650)
        {
            errors.Add(new("auto_disable_after_days", "must be between 1 and 3650 days"));
        }

        if (BrownoutPercent is < 0 or > 100)
        {
            errors.Add(new("brownout_percent", "must be between 0 and 100"));
        }

        if (LeakResponse is not (LeakDisable or LeakRevoke))
        {
            errors.Add(new("leak_response", $"must be {LeakDisable} or {LeakRevoke}"));
        }

        if (RequireDpop is not (DpopOff or DpopAgents or DpopAll))
        {
            errors.Add(new("require_dpop", $"must be {DpopOff}, {DpopAgents} or {DpopAll}"));
        }

        if (MinGrade is { } minimum && !Grades.IsGrade(minimum) || MinGradeByEnvironment.Values.Any(g => !Grades.IsGrade(g)))
        {
            errors.Add(new("min_grade", $"must be one of {Grades.All}"));
        }

        var environments = ReadWriteForbiddenEnvironments.Concat(MaxLifetimeDaysByEnvironment.Keys).Concat(MinGradeByEnvironment.Keys).ToList();
        if (environments.Any(e => !Names.IsValid(e)))
        {
            errors.Add(new("environments", $"environment names must be {Names.Rule}"));
        }
        else if (environments.Where(e => !knownEnvironments.Contains(e)).Distinct().ToList() is { Count: > 0 } unknown)
        {
            var known = knownEnvironments.Count == 0 ? "none yet" : string.Join(", ", knownEnvironments.Order(StringComparer.Ordinal));
            errors.Add(new("environments", $"no project has the environment {string.Join(", ", unknown.Select(e => $"'{e}'"))} (known: {known})"));
        }

        return errors;
    }

    /// <summary>The policies an identity with these facts violates, by name, with why.</summary>
    public IReadOnlyList<(string Policy, string Why)> Violations(bool hasCredential, DateTimeOffset? issuedAt, DateTimeOffset? expiresAt, string? permission, string? environment)
    {
        var violations = new List<(string, string)>();
        if (hasCredential && RequireExpiryEnabled && expiresAt is null)
        {
            violations.Add((RequireExpiry, "it has no expiry"));
        }

        if (hasCredential && MaxLifetimeFor(environment) is { } max && (expiresAt is null || issuedAt is null || expiresAt - issuedAt > max))
        {
            violations.Add((MaxLifetime, $"it must expire within {(int)max.TotalDays} days of issue"));
        }

        if (permission == "read_write" && environment is not null && ReadWriteForbiddenEnvironments.Contains(environment))
        {
            violations.Add((NoReadWritePrefix + environment, $"read_write is forbidden in {environment}"));
        }

        return violations;
    }
}

/// <summary>Supplies the current policies; implementations may cache them for at most one second.</summary>
public interface IPolicyReader
{
    ValueTask<OrganisationPolicies> GetAsync(CancellationToken cancellationToken);
}
