namespace Secr.Federation.Core.Governance;

/// <summary>
/// The words for a posture finding, apart from the finding itself: rules (fixes, policies) key on the typed
/// <see cref="Finding"/>, and only what shows findings to people calls this (the API's JSON converter, so a finding is the
/// same string on the wire as before it was typed; the console; through the API, the CLI).
/// </summary>
public static class FindingText
{
    public static string Of(Finding finding) => finding.Kind switch
    {
        FindingKind.NoExpiry => "No expiry",
        FindingKind.Expired => "Expired",
        FindingKind.ExpiryBeyondPolicy => "Expiry beyond policy",
        FindingKind.NeverRotated => "Never rotated",
        FindingKind.NotRotated => $"Not rotated in {finding.Days} days",
        FindingKind.NoScope => "No scope",
        FindingKind.BroadSecretScope => "Broad secret scope",
        FindingKind.BindingPinsNoTenant => $"Binding pins no {finding.Pin ?? "tenant"}{(finding.PinsBranch ? "" : ", nor a branch")}",
        FindingKind.BindingMatchesAnyBranch => "Binding matches any branch",
        FindingKind.NoIpRestriction => "No IP restriction",
        FindingKind.Stale => $"Stale: unused for {finding.Days} days",
        FindingKind.OwnerOffboarded => "Owner offboarded",
        FindingKind.OwnerMissing => "Owner missing",
        FindingKind.Leaked => "Leaked: reported by secret scanning",
        FindingKind.Reused => $"Reused: {Sources(finding.Reuse)} in {finding.Days} days",
        FindingKind.HumanUse => $"Possible human use: {Signs(finding.HumanUse)}",
        _ => throw new ArgumentOutOfRangeException(nameof(finding), finding.Kind, "a finding without words"),
    };

    private static string Sources(ReuseCounts? counts) => string.Join(", ", new[]
    {
        counts?.Networks is { } networks ? $"{networks} networks" : null,
        counts?.Repositories is { } repositories ? $"{repositories} repositories" : null,
        counts?.Workflows is { } workflows ? $"{workflows} workflows" : null,
    }.OfType<string>());

    private static string Signs(HumanUseSigns signs) => string.Join(", ", new[]
    {
        signs.HasFlag(HumanUseSigns.BrowserUserAgent) ? "a browser user agent" : null,
        signs.HasFlag(HumanUseSigns.PersonAddress) ? "from an admin's address" : null,
    }.OfType<string>());

    /// <summary>A finding as the problem a fix walk announces ("No expiry set"): the same words, where they read as a state.</summary>
    public static string Headline(Finding finding) => finding.Kind == FindingKind.NoExpiry ? "No expiry set" : Of(finding);

    /// <summary>The findings as one sentence: "Expired, never rotated, no scope".</summary>
    public static string Summary(IEnumerable<Finding> findings) =>
        string.Join(", ", findings.Select(Of).Select((text, i) => i == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..]));
}
