using Microsoft.Extensions.Time.Testing;

namespace Secr.Federation.Core.Tests.Support;

/// <summary>The tests' one fake clock: .NET's <see cref="FakeTimeProvider"/>, whose time moves only when a test advances it.</summary>
internal static class TestClock
{
    /// <summary>Thursday 2026-01-15 12:00 UTC, a working day at noon, which the time-window tests rely on.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => new(Start);
}
