namespace Secr.Federation.Core.Governance;

/// <summary>The windows and weights posture is graded with (<c>Secr:Posture</c>).</summary>
public sealed class PostureSettings
{
    /// <summary>A credential created or rolled longer ago fails the rotation dimension.</summary>
    public TimeSpan RotationWindow { get; set; } = TimeSpan.FromDays(90);

    /// <summary>An identity unused for longer fails the activity dimension.</summary>
    public TimeSpan StalenessWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How much a failed dimension counts towards the grade (default 1 each).</summary>
    public Dictionary<string, int> Weights { get; set; } = new(StringComparer.Ordinal);

    public int WeightOf(string dimension) => Weights.TryGetValue(dimension, out var weight) ? weight : 1;
}
