using Secr.Federation.Core.Audit;

namespace Secr.Federation.Data.Audit;

/// <summary>
/// Where the next records join the hash chain, inside one transaction: the head, locked on open
/// (<see cref="AuditChainHeadEntity.LockAsync"/>), so every writer (the ledger's batches, an admin change, on any node)
/// chains after the last record committed and never forks it.
/// </summary>
internal sealed class AuditChainCursor
{
    private long _sequence;
    private string _previous;

    private AuditChainCursor(long sequence, string previous) => (_sequence, _previous) = (sequence, previous);

    public static async Task<AuditChainCursor> LockAsync(SecrDbContext db, CancellationToken cancellationToken)
    {
        var (sequence, hash) = await AuditChainHeadEntity.LockAsync(db, cancellationToken).ConfigureAwait(false);
        return new AuditChainCursor(sequence, hash);
    }

    /// <summary>The row of <paramref name="record"/> linked after the previous one: normalised, numbered and hashed.</summary>
    public AuditEntity Link(AuditRecord record)
    {
        var stored = AuditChain.Normalise(record);
        _sequence++;
        var hash = AuditChain.Hash(_previous, _sequence, stored);
        var row = (stored with { Sequence = _sequence, PreviousHash = _previous, Hash = hash }).ToEntity();
        _previous = hash;
        return row;
    }

    /// <summary>Moves the head to the last record linked; the caller's transaction commits both.</summary>
    public Task AdvanceAsync(SecrDbContext db) => AuditChainHeadEntity.AdvanceAsync(db, _sequence, _previous);
}
