namespace Secr.Federation.Micro.Fakes;

/// <summary>
/// A clock that never moves, so the one subject token signed at setup stays valid however long a run takes, and every
/// invocation sees the same token age (a 5-minute GitHub token would otherwise expire during a long default job).
/// </summary>
internal sealed class FrozenClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
