using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Data.Secrets;

/// <summary>Secrets in the database, every value encrypted by <see cref="SecretCipher"/>; versions are kept.</summary>
public sealed class EfSecretVault(IDbContextFactory<SecrDbContext> contexts, SecretCipher cipher, ScopeStore scopes, EfAuditLedger ledger, TimeProvider clock) : ISecretVault
{
    public Task<bool> EnvironmentExistsAsync(string project, string environment, CancellationToken cancellationToken) =>
        scopes.ExistsAsync(project, environment, cancellationToken);

    public async Task<IReadOnlyList<SecretEntry>> ListAsync(string project, string environment, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Collect(Live(db, project, environment), cancellationToken);
    }

    public async Task<IReadOnlyList<SecretValue>> ReadAsync(string project, string environment, IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
    {
        var stored = await LoadAsync(project, environment, cancellationToken);
        return await UnsealAsync(project, environment, keys is null ? stored : stored.Where(s => keys.Contains(s.Entry.Key)).ToList(), cancellationToken);
    }

    public async Task<IReadOnlyList<SealedSecret>> LoadAsync(string project, string environment, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Collect(Current(db, project, environment), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<SecretValue>> UnsealAsync(string project, string environment, IReadOnlyList<SealedSecret> secrets, CancellationToken cancellationToken)
    {
        var plaintexts = await cipher.DecryptAsync(secrets.Select(s => (s.DataKeyId, s.Ciphertext, SecretCipher.Context(project, environment, s.Entry.Key, s.Entry.Version))).ToList(), cancellationToken);
        var values = new SecretValue[secrets.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new SecretValue(secrets[i].Entry.Key, plaintexts[i], secrets[i].Entry.Version, secrets[i].Entry.Canary);
        }

        return values;
    }

    /// <summary>The live secrets of the environment, without values (a workload's key list). Compiled once, as <see cref="Current"/>.</summary>
    private static readonly Func<SecrDbContext, string, string, IAsyncEnumerable<SecretEntry>> Live = EF.CompileAsyncQuery(
        (SecrDbContext db, string project, string environment) => db.Secrets.AsNoTracking()
            .Where(s => s.Project == project && s.Environment == environment && !s.Deleted)
            .OrderBy(s => s.Key)
            .Select(s => new SecretEntry(s.Key, s.CurrentVersion, s.Canary, s.UpdatedAt, s.UpdatedBy)));

    /// <summary>
    /// Every live secret of the environment with its current version's ciphertext, in one statement. Compiled once: the
    /// hot path of a workload's read skips building and looking up the LINQ expression on every call.
    /// </summary>
    private static readonly Func<SecrDbContext, string, string, IAsyncEnumerable<SealedSecret>> Current = EF.CompileAsyncQuery(
        (SecrDbContext db, string project, string environment) => db.Secrets.AsNoTracking()
            .Where(s => s.Project == project && s.Environment == environment && !s.Deleted)
            .Join(db.SecretVersions, s => new { Id = s.Id, Version = s.CurrentVersion }, v => new { Id = v.SecretId, v.Version }, (s, v) => new { s, v })
            .OrderBy(sv => sv.s.Key)
            .Select(sv => new SealedSecret(new SecretEntry(sv.s.Key, sv.s.CurrentVersion, sv.s.Canary, sv.s.UpdatedAt, sv.s.UpdatedBy), sv.v.DataKeyId!, sv.v.Ciphertext!)));

    private static async Task<IReadOnlyList<T>> Collect<T>(IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            list.Add(row);
        }

        return list;
    }

    public async Task<AuditedWrite<int>> SetAsync(string project, string environment, string key, string value, string actor, AuditRecord use, CancellationToken cancellationToken)
    {
        // Before the transaction: preparing may create the data key, which must not wait behind the audit chain's lock.
        await cipher.PrepareAsync(cancellationToken);
        var (outcome, version) = await ledger.CommitWithAsync(use, db => StageSetAsync(db, project, environment, key, value, null, actor, cancellationToken), cancellationToken);
        return new AuditedWrite<int>(outcome, version);
    }

    public async Task<AuditedWrite<bool>> DeleteAsync(string project, string environment, string key, string actor, AuditRecord use, CancellationToken cancellationToken)
    {
        var (outcome, deleted) = await ledger.CommitWithAsync(use, db => StageDeleteAsync(db, project, environment, key, actor, cancellationToken), cancellationToken);
        return new AuditedWrite<bool>(outcome, deleted);
    }

    /// <summary>An admin's write inside <paramref name="change"/>: the secret's next version, saved when the change commits; the cipher must be prepared first.</summary>
    public Task<int> StageSetAsync(AuditedChange change, string project, string environment, string key, string value, bool? canary, string actor, CancellationToken cancellationToken) =>
        StageSetAsync(change.Db, project, environment, key, value, canary, actor, cancellationToken);

    /// <summary>An admin's delete inside <paramref name="change"/> (<see cref="StageDeleteAsync(SecrDbContext, string, string, string, string, CancellationToken)"/>).</summary>
    public Task<bool> StageDeleteAsync(AuditedChange change, string project, string environment, string key, string actor, CancellationToken cancellationToken) =>
        StageDeleteAsync(change.Db, project, environment, key, actor, cancellationToken);

    /// <summary>
    /// Adds the secret's next version on <paramref name="db"/>, inside the caller's transaction, for the caller to save;
    /// the cipher must be prepared first.
    /// </summary>
    private async Task<int> StageSetAsync(SecrDbContext db, string project, string environment, string key, string value, bool? canary, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var secret = await db.Secrets.FirstOrDefaultAsync(s => s.Project == project && s.Environment == environment && s.Key == key, cancellationToken);
        if (secret is null)
        {
            secret = new SecretEntity { Id = $"sec_{Guid.CreateVersion7():N}", Project = project, Environment = environment, Key = key, UpdatedBy = actor };
            db.Secrets.Add(secret);
        }

        var version = secret.CurrentVersion + 1;
        var (dataKeyId, ciphertext) = await cipher.EncryptAsync(value, SecretCipher.Context(project, environment, key, version), cancellationToken);
        db.SecretVersions.Add(new SecretVersionEntity { SecretId = secret.Id, Version = version, DataKeyId = dataKeyId, Ciphertext = ciphertext, CreatedBy = actor, CreatedAt = now });
        secret.CurrentVersion = version;
        secret.Deleted = false;
        secret.Canary = canary ?? secret.Canary;
        secret.UpdatedBy = actor;
        secret.UpdatedAt = now;
        return version;
    }

    /// <summary>Adds the valueless version that deletes the secret, for the caller to save; false when there is no secret.</summary>
    private async Task<bool> StageDeleteAsync(SecrDbContext db, string project, string environment, string key, string actor, CancellationToken cancellationToken)
    {
        var secret = await db.Secrets.FirstOrDefaultAsync(s => s.Project == project && s.Environment == environment && s.Key == key && !s.Deleted, cancellationToken);
        if (secret is null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        secret.CurrentVersion++;
        secret.Deleted = true;
        secret.UpdatedBy = actor;
        secret.UpdatedAt = now;
        db.SecretVersions.Add(new SecretVersionEntity { SecretId = secret.Id, Version = secret.CurrentVersion, CreatedBy = actor, CreatedAt = now });
        return true;
    }

    public async Task<IReadOnlyList<SecretVersion>> HistoryAsync(string project, string environment, string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SecretVersions.AsNoTracking()
            .Where(v => db.Secrets.Any(s => s.Id == v.SecretId && s.Project == project && s.Environment == environment && s.Key == key))
            .OrderByDescending(v => v.Version).Select(v => new SecretVersion(v.Version, v.Ciphertext == null, v.CreatedAt, v.CreatedBy)).ToListAsync(cancellationToken);
    }
}
