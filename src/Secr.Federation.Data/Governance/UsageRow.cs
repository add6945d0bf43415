namespace Secr.Federation.Data.Governance;

/// <summary>What auto-disable judges a stored identity on: machine tokens, agents and bindings all have it.</summary>
public interface IUsageRow
{
    DateTimeOffset CreatedAt { get; }

    DateTimeOffset? LastUsedAt { get; }

    /// <summary>When it was last enabled after being disabled; null when never.</summary>
    DateTimeOffset? EnabledAt { get; }
}
