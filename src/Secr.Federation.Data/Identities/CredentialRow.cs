using Microsoft.EntityFrameworkCore.Query;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Data.Identities;

/// <summary>What a status change reads and writes of a stored credential: machine tokens and agents both have it.</summary>
public interface ICredentialRow
{
    string Id { get; }

    string Name { get; }

    string OwnerId { get; set; }

    string Status { get; set; }

    /// <summary>For the effective status: an agent always expires, a machine token may not.</summary>
    DateTimeOffset? ExpiresAt { get; }

    /// <summary>Written by the change to active (enable), so auto-disable gives the credential a full period again.</summary>
    DateTimeOffset? EnabledAt { get; set; }

    /// <summary>The stored form of <see cref="Disablement"/>: written by a disable, cleared by an enable.</summary>
    string? DisabledBy { get; set; }

    string? DisabledReason { get; set; }

    DateTimeOffset? DisabledAt { get; set; }
}

internal static class CredentialRows
{
    /// <summary>Who disabled the credential, if that was recorded (all three columns are set together).</summary>
    public static Disablement? Disablement(this ICredentialRow row) =>
        row is { DisabledBy: { } by, DisabledReason: { } reason, DisabledAt: { } at } ? new Disablement(by, reason, at) : null;

    /// <summary>The update that disables a credential and records <paramref name="disablement"/>: every disable writes it, so every enable can judge it.</summary>
    public static UpdateSettersBuilder<TRow> SetDisabled<TRow>(this UpdateSettersBuilder<TRow> row, Disablement disablement) where TRow : ICredentialRow =>
        row.SetProperty(r => r.Status, IdentityStatus.Disabled.ToText()).SetProperty(r => r.DisabledBy, disablement.By)
            .SetProperty(r => r.DisabledReason, disablement.Reason).SetProperty(r => r.DisabledAt, disablement.At);
}
