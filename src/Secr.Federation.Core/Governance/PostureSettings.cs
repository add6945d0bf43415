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

    /// <summary>How much a failed dimension counts towards the grade (default 1 each).</summary>
    public Dictionary<string, int> Weights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A dimension's weight; a negative setting counts as 0 (it can lower a grade's severity, never flip it).</summary>
    public int WeightOf(string dimension) => Weights.TryGetValue(dimension, out var weight) ? Math.Max(0, weight) : 1;

    public IEnumerable<string> Errors()
    {
        if (RotationWindow <= TimeSpan.Zero || StalenessWindow <= TimeSpan.Zero)
        {
            yield return $"{Section}:RotationWindow and {Section}:StalenessWindow must be positive";
        }
    }
}
