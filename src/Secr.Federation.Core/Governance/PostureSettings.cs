using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Governance;

/// <summary>The windows and weights posture is graded with (<c>Secr:Posture</c>).</summary>
public sealed class PostureSettings : ISettings<PostureSettings>
{
    public static string Section => "Secr:Posture";

    /// <summary>A credential created or rolled longer ago fails the rotation dimension.</summary>
    public TimeSpan RotationWindow { get; set; } = TimeSpan.FromDays(90);

    /// <summary>An identity unused for longer fails the activity dimension.</summary>
    public TimeSpan StalenessWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How far back observed use counts for the reuse and human-use findings: older sightings age out.</summary>
    public TimeSpan UsageWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// A machine token or agent seen from this many distinct client networks (IPv4 /24, IPv6 /48) in the window is
    /// flagged as reused; 0 turns the check off. Bindings are not counted by network: their runners come from the
    /// platform's pool of addresses, so their repositories and workflows tell reuse instead.
    /// </summary>
    public int ReuseDistinctNetworks { get; set; } = 5;

    /// <summary>An identity seen behind this many distinct repositories in the window is flagged as reused; 0 turns the check off.</summary>
    public int ReuseDistinctRepositories { get; set; } = 3;

    /// <summary>An identity seen behind this many distinct workflows (GitHub <c>job_workflow_ref</c>) in the window is flagged as reused; 0 turns the check off.</summary>
    public int ReuseDistinctWorkflows { get; set; } = 5;

    /// <summary>Whether a use with a browser's user agent, or from an address a person used for the admin API, is flagged as possible human use.</summary>
    public bool DetectHumanUse { get; set; } = true;

    /// <summary>How much a failed dimension counts towards the grade (default 1 each).</summary>
    public Dictionary<string, int> Weights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The longest usage window: the signals of a year are as many as anyone reviews.</summary>
    public static readonly TimeSpan MaxUsageWindow = TimeSpan.FromDays(366);

    /// <summary>A dimension's weight; a negative setting counts as 0 (it can lower a grade's severity, never flip it).</summary>
    public int WeightOf(string dimension) => Weights.TryGetValue(dimension, out var weight) ? Math.Max(0, weight) : 1;

    public IEnumerable<string> Errors()
    {
        if (RotationWindow <= TimeSpan.Zero || StalenessWindow <= TimeSpan.Zero)
        {
            yield return $"{Section}:RotationWindow and {Section}:StalenessWindow must be positive";
        }

        if (UsageWindow <= TimeSpan.Zero || UsageWindow > MaxUsageWindow)
        {
            yield return $"{Section}:UsageWindow must be positive and at most {MaxUsageWindow.TotalDays} days";
        }

        // One source is every identity's; a threshold of 1 would flag them all.
        if (new[] { ReuseDistinctNetworks, ReuseDistinctRepositories, ReuseDistinctWorkflows }.Any(t => t is < 0 or 1))
        {
            yield return $"{Section}:ReuseDistinctNetworks, ReuseDistinctRepositories and ReuseDistinctWorkflows must each be 0 (off) or at least 2";
        }
    }
}
