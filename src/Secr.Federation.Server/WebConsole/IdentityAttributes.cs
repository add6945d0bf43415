using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.WebConsole;

/// <summary>One row of an identity's attributes; <paramref name="Href"/> links it (a successor, an issuer).</summary>
public sealed record IdentityAttribute(string Label, string Value, string? Href = null);

/// <summary>
/// An identity's attributes for its console page, read from the very responses the admin API's detail routes give,
/// so the page shows what <c>GET /api/v1/tokens/{id}</c> (agents, bindings) shows, and never the credential.
/// </summary>
public static class IdentityAttributes
{
    public static IReadOnlyList<IdentityAttribute> Of(MachineTokensApi.TokenResponse t, string? owner) =>
    [
        new("Status", t.Status),
        .. Disabled(t.DisabledBy, t.DisabledReason, t.DisabledAt),
        new("Owner", owner ?? "none"),
        new("Project / environment", $"{t.Project ?? "(whole organisation)"}/{t.Environment}"),
        new("Permission", t.Permission),
        new("Created", $"{When(t.CreatedAt)} by {t.CreatedBy}"),
        new("Expires", When(t.ExpiresAt, "never")),
        new("Last rotated", When(t.LastRotatedAt, "never")),
        new("Last used", When(t.LastUsedAt, "never")),
        new("Last used from", t.LastUsedIp ?? "–"),
        .. Restrictions(t.Restrictions),
        .. t.SuccessorId is { } successor ? [new IdentityAttribute("Rolled into", successor, $"{ConsoleRegistration.Path}/identities/machine_token/{successor}")] : Array.Empty<IdentityAttribute>(),
    ];

    public static IReadOnlyList<IdentityAttribute> Of(AgentsApi.AgentResponse a, string? owner) =>
    [
        new("Status", a.Status),
        .. Disabled(a.DisabledBy, a.DisabledReason, a.DisabledAt),
        new("Owner", owner ?? "none"),
        new("Project / environment", $"{a.Project}/{a.Environment}"),
        new("Permission", "read"),
        new("Secret allowlist", List(a.Allow)),
        new("Created", $"{When(a.CreatedAt)} by {a.CreatedBy}"),
        new("Expires", When(a.ExpiresAt)),
        new("Last used", When(a.LastUsedAt, "never")),
        new("Last used from", a.LastUsedIp ?? "–"),
        .. Restrictions(a.Restrictions),
    ];

    public static IReadOnlyList<IdentityAttribute> Of(BindingsApi.BindingResponse b, string? owner, DateTimeOffset? lastUsed) =>
    [
        new("Status", b.Enabled ? "enabled" : "disabled"),
        new("Owner", owner ?? "none"),
        new("Issuer", b.Issuer),
        new("Conditions", string.Join("; ", b.Conditions.Select(c => $"{c.Claim} {c.Op} {string.Join(" | ", c.Values ?? [])}"))),
        new("Project / environment", $"{b.Project}/{b.Environment}"),
        new("Permission", b.Permission),
        new("Secret allowlist", b.SecretAllowlist is null ? "all keys of the scope" : List(b.SecretAllowlist)),
        new("Access token lifetime", b.Ttl),
        new("Allowed IPs", List(b.AllowIps, "any")),
        new("Broad match allowed", b.AllowBroadMatch ? "yes" : "no"),
        new("Created", When(b.CreatedAt)),
        new("Updated", When(b.UpdatedAt)),
        new("Last used", When(lastUsed, "never")),
    ];

    public static string When(DateTimeOffset? at, string otherwise = "–") => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'") ?? otherwise;

    /// <summary>Who disabled it, which says who may enable it again (an admin's or a policy's disable is an admin's to lift).</summary>
    private static IEnumerable<IdentityAttribute> Disabled(string? by, string? reason, DateTimeOffset? at) =>
        reason is null ? [] : [new("Disabled", $"{When(at)} by {by} ({reason})")];

    private static IEnumerable<IdentityAttribute> Restrictions(ConditionalAccessDto access) =>
    [
        new("Allowed IPs", List(access.AllowIps, "any")),
        new("Time window", access.TimeWindow is null ? "any time" : $"{access.TimeWindow} {List(access.Days, "every day")}"),
        new("User agent", access.UserAgent ?? "any"),
    ];

    private static string List(IReadOnlyList<string>? values, string empty = "none") => values is { Count: > 0 } ? string.Join(", ", values) : empty;
}
