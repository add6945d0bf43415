using Microsoft.EntityFrameworkCore;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Data.Secrets;

/// <summary>Secrets in the database, every value encrypted by <see cref="SecretCipher"/>; versions are kept.</summary>
public sealed class EfSecretVault(IDbContextFactory<SecrDbContext> contexts, SecretCipher cipher, ScopeStore scopes, TimeProvider clock) : ISecretVault
{
    public Task<bool> EnvironmentExistsAsync(string project, string environment, CancellationToken cancellationToken) =>
        scopes.ExistsAsync(project, environment, cancellationToken);

    public async Task<IReadOnlyList<SecretEntry>> ListAsync(string project, string environment, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Secrets.AsNoTracking().Where(s => s.Project == project && s.Environment == environment && !s.Deleted)
            .OrderBy(s => s.Key).Select(s => new SecretEntry(s.Key, s.CurrentVersion, s.Canary, s.UpdatedAt, s.UpdatedBy)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SecretValue>> ReadAsync(string project, string environment, IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var secrets = db.Secrets.AsNoTracking().Where(s => s.Project == project && s.Environment == environment && !s.Deleted);
        if (keys is not null)
        {
            secrets = secrets.Where(s => keys.Contains(s.Key));
        }

        var rows = await secrets.OrderBy(s => s.Key)
            .Select(s => new { s.Key, s.CurrentVersion, s.Canary, Current = s.Versions.First(v => v.Version == s.CurrentVersion) })
            .ToListAsync(cancellationToken);
        var values = new List<SecretValue>(rows.Count);
        foreach (var row in rows)
        {
            var value = await cipher.DecryptAsync(row.Current.DataKeyId!, row.Current.Ciphertext!, SecretCipher.Context(project, environment, row.Key, row.CurrentVersion), cancellationToken);
            values.Add(new SecretValue(row.Key, value, row.CurrentVersion, row.Canary));
        }

        return values;
    }

    public async Task<int> SetAsync(string project, string environment, string key, string value, bool? canary, string actor, CancellationToken cancellationToken)
    {
        await cipher.PrepareAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
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
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task<bool> DeleteAsync(string project, string environment, string key, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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
        await db.SaveChangesAsync(cancellationToken);
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
