namespace Secr.Federation.Core.Governance.Usage;

/// <summary>
/// What the audit showed of one identity's use over the window (<see cref="PostureSettings.UsageWindow"/>): how many
/// distinct sources of each kind (<see cref="UsageSources"/>), and when a sign of a person was last seen.
/// </summary>
/// <param name="BrowserUseAt">The last request with a browser's user agent; null when none.</param>
/// <param name="PersonAddressUseAt">The last request from an address a person used for the admin API or console; null when none.</param>
public sealed record UsageSignals(int Networks, int Repositories, int Workflows, DateTimeOffset? BrowserUseAt, DateTimeOffset? PersonAddressUseAt)
{
    public static readonly UsageSignals None = new(0, 0, 0, null, null);
}
