using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Data.Secrets;

/// <summary>
/// An admin's writes to secrets, each committed with its audit record in one transaction (<see cref="AdminAudit.BeginAsync"/>):
/// a version whose record cannot be stored is not written. The record names keys and versions, never a value.
/// </summary>
public sealed class AdminSecretWrites(IDbContextFactory<SecrDbContext> contexts, EfSecretVault vault, SecretCipher cipher, AdminAudit audit)
{
    /// <summary>Writes the next version; <paramref name="describe"/> says, for the audit, what was set given that version.</summary>
    public async Task<int> SetAsync(string project, string environment, string key, string value, bool? canary, AdminActor actor, Func<int, string> describe, CancellationToken cancellationToken)
    {
        await cipher.PrepareAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        var version = await vault.StageSetAsync(db, project, environment, key, value, canary, actor.Name, cancellationToken);
        change.RecordScoped(actor, "admin.secret_set", describe(version), project, environment, key);
        await change.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>Deletes the secret (a valueless version); false, recording nothing, when there is none.</summary>
    public async Task<bool> DeleteAsync(string project, string environment, string key, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var change = await audit.BeginAsync(db, cancellationToken);
        if (!await vault.StageDeleteAsync(db, project, environment, key, actor.Name, cancellationToken))
        {
            return false;
        }

        change.RecordScoped(actor, "admin.secret_deleted", $"deleted {project}/{environment}/{key}", project, environment, key);
        await change.CommitAsync(cancellationToken);
        return true;
    }
}
