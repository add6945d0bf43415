using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Secrets;

namespace Secr.Federation.Application.Secrets;

/// <summary>
/// An admin's writes to secrets, each committed with its audit record in one <see cref="AuditedChange"/>: a version
/// whose record cannot be stored is not written. The record names keys and versions, never a value.
/// </summary>
public sealed class AdminSecretWrites(EfSecretVault vault, SecretCipher cipher, AdminAudit audit)
{
    /// <summary>Writes the next version; <paramref name="describe"/> says, for the audit, what was set given that version.</summary>
    public async Task<int> SetAsync(string project, string environment, string key, string value, bool? canary, AdminActor actor, Func<int, string> describe, CancellationToken cancellationToken)
    {
        // Before the change: preparing may create the data key, which must not wait behind the audit chain's lock.
        await cipher.PrepareAsync(cancellationToken);
        await using var change = await audit.BeginAsync(cancellationToken);
        var version = await vault.StageSetAsync(change, project, environment, key, value, canary, actor.Name, cancellationToken);
        change.RecordScoped(actor, "admin.secret_set", describe(version), project, environment, key);
        await change.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>Deletes the secret (a valueless version); false, recording nothing, when there is none.</summary>
    public async Task<bool> DeleteAsync(string project, string environment, string key, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (!await vault.StageDeleteAsync(change, project, environment, key, actor.Name, cancellationToken))
        {
            return false;
        }

        change.RecordScoped(actor, "admin.secret_deleted", $"deleted {project}/{environment}/{key}", project, environment, key);
        await change.CommitAsync(cancellationToken);
        return true;
    }
}
