using Secr.Federation.Core.Policy;

namespace Secr.Federation.Micro.Fakes;

/// <summary>
/// No organisation or project IP allowlist and no frozen project. The server caches these settings (for at most a
/// second), so per request it too only returns an object it already holds.
/// </summary>
internal sealed class OpenGuards : IGuardSettingsProvider
{
    public ValueTask<GuardSettings> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(GuardSettings.None);
}
