using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Identities;

/// <summary>A stored credential's status as read inside a change: what a transition is judged on, and what its write must still find.</summary>
public sealed record CredentialStatus(string Id, IdentityStatus Stored, DateTimeOffset? ExpiresAt, Disablement? Disablement)
{
    /// <summary>The columns as read, which the write's condition compares.</summary>
    internal (string Status, string? DisabledBy, string? DisabledReason) Columns { get; init; }
}

/// <summary>The rows of one kind of stored credential (machine tokens, agents), read and written inside an admin change.</summary>
public interface ICredentialStore<TIdentity> where TIdentity : class
{
    /// <summary>The credential as it stands inside the change.</summary>
    Task<TIdentity?> FindAsync(AuditedChange change, string id, CancellationToken cancellationToken);

    /// <summary>Writes the attributes of <paramref name="changed"/> that differ from the stored credential, when the change commits.</summary>
    Task UpdateAsync(AuditedChange change, TIdentity changed, CancellationToken cancellationToken);

    Task<CredentialStatus?> ReadStatusAsync(AuditedChange change, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="to"/> (and, for a disable, <paramref name="disabled"/>) only if the row still has the status
    /// and disablement of <paramref name="read"/>; null, writing nothing, when a concurrent change came first.
    /// </summary>
    Task<TIdentity?> WriteStatusAsync(AuditedChange change, CredentialStatus read, IdentityStatus to, Disablement? disabled, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The status read and the conditional status write, shared by both kinds' rows.</summary>
internal static class CredentialStatusQueries
{
    public static async Task<CredentialStatus?> ReadAsync<TRow>(IQueryable<TRow> rows, string id, CancellationToken cancellationToken) where TRow : class, ICredentialRow
    {
        var row = await rows.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        IdentityStatusText.TryParse(row.Status, out var stored);
        return new CredentialStatus(row.Id, stored, row.ExpiresAt, row.Disablement()) { Columns = (row.Status, row.DisabledBy, row.DisabledReason) };
    }

    /// <summary>The write of <see cref="ICredentialStore{TIdentity}.WriteStatusAsync"/>; the changed row, or null.</summary>
    public static async Task<TRow?> WriteAsync<TRow>(DbSet<TRow> rows, CredentialStatus read, IdentityStatus to, Disablement? disabled, DateTimeOffset now, CancellationToken cancellationToken)
        where TRow : class, ICredentialRow
    {
        var id = read.Id;
        var (status, by, reason) = read.Columns;
        var enables = to == IdentityStatus.Active;
        var updated = await rows.Where(r => r.Id == id && r.Status == status && r.DisabledBy == by && r.DisabledReason == reason)
            .ExecuteUpdateAsync(s =>
            {
                if (disabled is not null)
                {
                    s.SetDisabled(disabled);
                    return;
                }

                s.SetProperty(r => r.Status, to.ToText());
                // Enabling is not a use, but auto-disable counts from it too: the credential gets a full period again.
                if (enables)
                {
                    s.SetProperty(r => r.EnabledAt, now).SetProperty(r => r.DisabledBy, (string?)null).SetProperty(r => r.DisabledReason, (string?)null)
                        .SetProperty(r => r.DisabledAt, (DateTimeOffset?)null);
                }
            }, cancellationToken);
        return updated == 0 ? null : await rows.AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken);
    }
}
