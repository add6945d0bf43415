using Secr.Federation.Data.Storage;

namespace Secr.Federation.Data.Audit;

public sealed class AuditEntity
{
    public long Id { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public required string Outcome { get; set; }
    public required string ReasonCode { get; set; }
    public required string Reason { get; set; }
    public required string Action { get; set; }
    public string? IdentityType { get; set; }
    public string? IdentityId { get; set; }
    public string? IdentityName { get; set; }
    public string? Binding { get; set; }
    public string? ActorType { get; set; }
    public string? ActorId { get; set; }
    public string? ActorName { get; set; }
    public string? Project { get; set; }
    public string? Environment { get; set; }
    public string? Permission { get; set; }
    public string? Keys { get; set; }
    public string? SourceIssuer { get; set; }
    public string? SourceSubject { get; set; }
    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }
    public required string RequestId { get; set; }
    public string? TokenId { get; set; }
    public DateTimeOffset? TokenExpiresAt { get; set; }

    /// <summary>The job's run (<see cref="Core.Audit.JobLineage"/>), indexed for <c>?run=</c>.</summary>
    public string? Run { get; set; }

    /// <summary>The rest of the job's lineage as a JSON object of strings (<see cref="AuditMapping"/>).</summary>
    public string? Lineage { get; set; }

    /// <summary>The thumbprint of the DPoP key the request proved (<see cref="Core.Audit.AuditRecord.DpopKey"/>); null for a bearer request.</summary>
    public string? DpopKey { get; set; }

    /// <summary>The hash chain (<see cref="Core.Audit.AuditChain"/>); null only on records written before the chain existed.</summary>
    public long? Sequence { get; set; }

    public string? PreviousHash { get; set; }

    public string? Hash { get; set; }

    /// <summary>The encoding of <see cref="Hash"/>: 1 for the records written before versions existed (the migration's default).</summary>
    public int ChainVersion { get; set; }
}

/// <summary>The chain's head: the last sequence and hash committed. One row, locked by every batch, so batches chain in order.</summary>
public sealed class AuditChainHeadEntity
{
    public const int SingleRow = 1;

    public int Id { get; set; }
    public long Sequence { get; set; }
    public required string Hash { get; set; }

    /// <summary>
    /// The last record removed by audit retention (0: none) and its hash: the anchor the oldest kept record must link
    /// to, so a pruned chain still proves that nothing after the cut was removed or changed.
    /// </summary>
    public long PrunedThroughSequence { get; set; }

    public required string PrunedThroughHash { get; set; }

    /// <summary>
    /// The head's position, write-locked for the rest of the caller's transaction (a no-op update takes the lock on
    /// every provider before the read), so batches from any writer chain one after another and never fork.
    /// </summary>
    public static async Task<(long Sequence, string Hash)> LockAsync(SecrDbContext db, CancellationToken cancellationToken)
    {
        await using var command = PlainCommand.Create(db, """
            UPDATE "AuditChainHeads" SET "Sequence" = "Sequence" WHERE "Id" = @p0;
            SELECT "Sequence", "Hash" FROM "AuditChainHeads" WHERE "Id" = @p0
            """, SingleRow);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (reader.GetInt64(0), reader.GetString(1))
            : throw new InvalidOperationException("The audit chain head row is missing: the database was not migrated.");
    }

    /// <summary>Moves the head, locked by <see cref="LockAsync"/> in the same transaction, to a batch's last record.</summary>
    public static Task AdvanceAsync(SecrDbContext db, long sequence, string hash) =>
        PlainCommand.ExecuteAsync(db, """UPDATE "AuditChainHeads" SET "Sequence" = @p0, "Hash" = @p1 WHERE "Id" = @p2""", sequence, hash, SingleRow);
}

public sealed class ReplayEntity
{
    public required string Key { get; set; }
    /// <summary>UTC ticks, so expiry compares as a plain integer on every provider.</summary>
    public long KeepUntilTicks { get; set; }
}
