using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Tests.Support;

/// <summary>Guard settings fixed by the test.</summary>
public sealed class FixedGuards(GuardSettings settings) : IGuardSettingsProvider
{
    public static readonly FixedGuards None = new(GuardSettings.None);

    public GuardSettings Settings { get; set; } = settings;

    public ValueTask<GuardSettings> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Settings);
}
