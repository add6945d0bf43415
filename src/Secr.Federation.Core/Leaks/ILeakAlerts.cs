namespace Secr.Federation.Core.Leaks;

/// <summary>A contained leak, as the alert names it: never the value, only whose it was, what was done, who reported it and where it was found.</summary>
public sealed record LeakAlert(DateTimeOffset At, string IdentityType, string IdentityName, string IdentityId, string Done, string Reporter, string? Source, string? Url);

/// <summary>Raises the CRITICAL alert of a leaked credential (a critical log event, and the alert webhook when configured).</summary>
public interface ILeakAlerts
{
    Task RaiseAsync(LeakAlert alert, CancellationToken cancellationToken);
}
