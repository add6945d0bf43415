using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Secr.Federation.Core.Audit;

/// <summary>
/// The audit log as a hash chain: record n carries the hash of record n-1 and its own hash over that and every field,
/// so changing, removing or reordering any committed record breaks every later link.
/// <para>
/// hash(n) = hex(SHA-256(previous_hash(n) ‖ 0x1E ‖ field₁ ‖ … ‖ fieldₖ)), each field written as its name, 0x1F, then
/// 0x00 for null or 0x01 followed by the UTF-8 value, then 0x1E; fields in <see cref="Fields"/> order; timestamps as
/// <see cref="Timestamp"/> writes them. The encoding is unambiguous (no value can fake a separator, because a field's
/// name and presence byte are fixed) and needs nothing but the exported values to recompute offline.
/// </para>
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    public static readonly IReadOnlyList<string> Fields =
    [
        "sequence", "timestamp", "outcome", "reason_code", "reason", "action", "identity_type", "identity_id", "identity_name", "binding", "project",
        "environment", "permission", "keys", "source_issuer", "source_subject", "client_ip", "user_agent", "request_id", "token_id", "token_expires_at",
    ];

    public static string Hash(string previousHash, long sequence, AuditRecord r)
    {
        var values = new[]
        {
            sequence.ToString(CultureInfo.InvariantCulture), Timestamp(r.Timestamp), r.Outcome, r.ReasonCode, r.Reason, r.Action, r.IdentityType, r.IdentityId,
            r.IdentityName, r.Binding, r.Project, r.Environment, r.Permission, r.Keys, r.SourceIssuer, r.SourceSubject, r.ClientIp, r.UserAgent, r.RequestId,
            r.TokenId, r.TokenExpiresAt is { } expires ? Timestamp(expires) : null,
        };

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(previousHash));
        hash.AppendData([0x1E]);
        for (var i = 0; i < values.Length; i++)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Fields[i]));
            hash.AppendData(values[i] is null ? [0x1F, 0x00] : [0x1F, 0x01]);
            if (values[i] is { } value)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(value));
            }

            hash.AppendData([0x1E]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>UTC to a tenth of a millisecond, the precision the store keeps times in, so a stored record hashes as it was written.</summary>
    public static string Timestamp(DateTimeOffset at) => Truncate(at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TicksKept, TimeSpan.Zero);

    /// <summary>EF Core's DateTimeOffsetToBinaryConverter, which every time column uses, keeps multiples of 1,000 ticks.</summary>
    private const long TicksKept = 1_000;

    /// <summary>A record as the chain stores it: times truncated to the stored precision, in UTC, before hashing and storing.</summary>
    public static AuditRecord Normalise(AuditRecord record) => record with
    {
        Timestamp = Truncate(record.Timestamp),
        TokenExpiresAt = record.TokenExpiresAt is { } expires ? Truncate(expires) : null,
    };
}

/// <summary>What checking a stretch of the chain found; <see cref="BrokenAt"/> is the first record that does not link.</summary>
public sealed record ChainReport(bool Verified, long Records, long? FirstSequence, long? LastSequence, string? LastHash, long? BrokenAt, string? Problem);

/// <summary>Checks records in sequence order, from the database or from an export, one at a time (any size, constant memory).</summary>
public sealed class AuditChainVerifier(string? expectedPrevious = null)
{
    private string? _previous = expectedPrevious;
    private long? _lastSequence;
    private long? _firstSequence;
    private long _count;

    public ChainReport? Failure { get; private set; }

    /// <summary>False, with <see cref="Failure"/> set, at the first record that does not link; later records are not checked.</summary>
    public bool Add(AuditRecord record)
    {
        if (Failure is not null)
        {
            return false;
        }

        if (record is not { Sequence: { } sequence, PreviousHash: { } previous, Hash: { } stored })
        {
            return Fail(record.Sequence, "the record carries no chain fields");
        }

        if (_lastSequence is { } last && sequence != last + 1)
        {
            return Fail(sequence, $"records {last + 1} to {sequence - 1} are missing");
        }

        if (_previous is not null && previous != _previous)
        {
            return Fail(sequence, "its previous_hash is not the hash of the record before it");
        }

        if (AuditChain.Hash(previous, sequence, record) != stored)
        {
            return Fail(sequence, "its contents do not match its hash (the record was changed)");
        }

        _firstSequence ??= sequence;
        _lastSequence = sequence;
        _previous = stored;
        _count++;
        return true;
    }

    public ChainReport Report() => Failure ?? new ChainReport(true, _count, _firstSequence, _lastSequence, _previous, null, null);

    private bool Fail(long? sequence, string problem)
    {
        Failure = new ChainReport(false, _count, _firstSequence, _lastSequence, _previous, sequence, problem);
        return false;
    }
}
