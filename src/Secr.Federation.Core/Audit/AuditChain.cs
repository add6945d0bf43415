using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Secr.Federation.Core.Audit;

/// <summary>
/// The audit log as a hash chain: record n carries the hash of record n-1 and its own hash over that and every field,
/// so changing, removing or reordering any committed record breaks every later link. Each record says which encoding
/// its hash uses (<see cref="AuditRecord.ChainVersion"/>), so a chain written before a change of encoding still
/// verifies, and new records use the newest (<see cref="Version"/>).
/// <para>
/// Version 5 (proof of possession): as version 4 with field("5"), then after the lineage the DPoP key's thumbprint
/// (<see cref="AuditRecord.DpopKey"/>).
/// </para>
/// <para>
/// Version 4 (the job behind a workload's token): as version 3 with field("4"), then after actor_name the run
/// (<see cref="AuditRecord.Run"/>) and the lineage: field(null) when there is none, otherwise field(the number of
/// entries) followed by field(name) ‖ field(value) for each entry, in ordinal order of the names.
/// </para>
/// <para>
/// Version 3 (who acted, apart from what was acted on): as version 2 with field("3"), and the actor's three fields
/// (<see cref="AuditRecord.ActorType"/>, id, name) after token_expires_at.
/// </para>
/// <para>
/// Version 2: hash(n) = hex(SHA-256(field(previous_hash(n)) ‖ field("2") ‖ field(sequence) ‖ field₁ ‖ … ‖ fieldₖ)), where
/// field(null) is 0x00 and field(v) is 0x01, the length of v's UTF-8 bytes as 4 bytes big-endian, then those bytes;
/// fields in <see cref="Fields"/> order; timestamps as <see cref="Timestamp"/> writes them. Every field says where it
/// ends, so no value, whatever bytes it holds, can be read as the end of one field and the start of another, and
/// the version is hashed with the record (it cannot be changed to read the record under another encoding).
/// </para>
/// <para>
/// Version 1 (records written before versions existed): hash(n) = hex(SHA-256(previous_hash(n) ‖ 0x1E ‖ for each
/// field: name ‖ 0x1F ‖ (0x00 | 0x01 ‖ UTF-8 value) ‖ 0x1E)). It is ambiguous, since a value may contain 0x1E and 0x1F
/// (a reason "a␞action␟␁b" with action "c" hashes as reason "a" with action "b␞action␟␁c"), so it is only read.
/// </para>
/// </summary>
public static class AuditChain
{
    /// <summary>The separator encoding of the records written before the chain had versions: verified, never written.</summary>
    public const int V1 = 1;

    /// <summary>The length-prefixed encoding, without the actor: verified, no longer written.</summary>
    public const int V2 = 2;

    /// <summary>The length-prefixed encoding with the actor's fields, without the lineage: verified, no longer written.</summary>
    public const int V3 = 3;

    /// <summary>The length-prefixed encoding with the actor's fields and the job's lineage, without the DPoP key: verified, no longer written.</summary>
    public const int V4 = 4;

    /// <summary>The length-prefixed encoding with the actor's fields, the job's lineage and the DPoP key.</summary>
    public const int V5 = 5;

    /// <summary>The encoding new records are written with.</summary>
    public const int Version = V5;

    /// <summary>The "previous hash" of the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    public static readonly IReadOnlyList<string> Fields =
    [
        "sequence", "timestamp", "outcome", "reason_code", "reason", "action", "identity_type", "identity_id", "identity_name", "binding", "project",
        "environment", "permission", "keys", "source_issuer", "source_subject", "client_ip", "user_agent", "request_id", "token_id", "token_expires_at",
        "actor_type", "actor_id", "actor_name", "run", "lineage", "dpop_key",
    ];

    /// <summary>Whether this version can hash a record of <paramref name="version"/>.</summary>
    public static bool IsKnown(int version) => version is V1 or V2 or V3 or V4 or V5;

    /// <summary>The record's hash, in the encoding of its <see cref="AuditRecord.ChainVersion"/>.</summary>
    public static string Hash(string previousHash, long sequence, AuditRecord r) => r.ChainVersion switch
    {
        V1 => HashV1(previousHash, sequence, r),
        V2 or V3 or V4 or V5 => HashLengthPrefixed(r.ChainVersion, previousHash, sequence, r),
        var unknown => throw new ArgumentOutOfRangeException(nameof(r), unknown, "unknown audit chain version"),
    };

    /// <summary>
    /// On the audit writer's path: the encoding is built in one pooled buffer and hashed at once, numbers and times
    /// formatted straight into it, so a record costs the hash's hex string and nothing else.
    /// </summary>
    private static string HashLengthPrefixed(int version, string previousHash, long sequence, AuditRecord r)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(LengthFieldsV2.MaxLength(previousHash, r));
        try
        {
            var fields = new LengthFieldsV2(buffer);
            fields.Add(previousHash);
            fields.Add(version);
            fields.Add(sequence);
            fields.Add(r.Timestamp);
            fields.Add(r.Outcome);
            fields.Add(r.ReasonCode);
            fields.Add(r.Reason);
            fields.Add(r.Action);
            fields.Add(r.IdentityType);
            fields.Add(r.IdentityId);
            fields.Add(r.IdentityName);
            fields.Add(r.Binding);
            fields.Add(r.Project);
            fields.Add(r.Environment);
            fields.Add(r.Permission);
            fields.Add(r.Keys);
            fields.Add(r.SourceIssuer);
            fields.Add(r.SourceSubject);
            fields.Add(r.ClientIp);
            fields.Add(r.UserAgent);
            fields.Add(r.RequestId);
            fields.Add(r.TokenId);
            fields.Add(r.TokenExpiresAt);
            if (version >= V3)
            {
                fields.Add(r.ActorType);
                fields.Add(r.ActorId);
                fields.Add(r.ActorName);
            }

            if (version >= V4)
            {
                fields.Add(r.Run);
                fields.Add(r.Lineage);
            }

            if (version >= V5)
            {
                fields.Add(r.DpopKey);
            }

            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, fields.Length), digest);
            return Convert.ToHexStringLower(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string HashV1(string previousHash, long sequence, AuditRecord r)
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

    /// <summary>The format of <see cref="Timestamp"/>: 25 characters.</summary>
    internal const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffff'Z'";

    /// <summary>UTC to a tenth of a millisecond, the precision the store keeps times in, so a stored record hashes as it was written.</summary>
    public static string Timestamp(DateTimeOffset at) => Truncate(at).UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TicksKept, TimeSpan.Zero);

    /// <summary>EF Core's DateTimeOffsetToBinaryConverter, which every time column uses, keeps multiples of 1,000 ticks.</summary>
    private const long TicksKept = 1_000;

    /// <summary>A record as the chain stores it: in the current encoding, times truncated to the stored precision, in UTC, before hashing and storing.</summary>
    public static AuditRecord Normalise(AuditRecord record) => record with
    {
        ChainVersion = Version,
        Timestamp = Truncate(record.Timestamp),
        TokenExpiresAt = record.TokenExpiresAt is { } expires ? Truncate(expires) : null,
    };
}

/// <summary>Writes the fields of a version 2, 3, 4 or 5 hash into a buffer: 0x00 for null, or 0x01, a 4-byte big-endian length and UTF-8 bytes.</summary>
internal struct LengthFieldsV2(byte[] buffer)
{
    /// <summary>The previous hash, the version, the sequence and the record's 26 fields (version 5), the lineage's count among them.</summary>
    private const int Count = 29;

    /// <summary>The presence byte and the length.</summary>
    private const int Prefix = 1 + sizeof(uint);

    /// <summary>The most a formatted value (the version, the sequence, two times, the lineage's count) takes: a time's 25 characters.</summary>
    private const int MaxFormatted = 25;

    public int Length { get; private set; }

    /// <summary>An upper bound of the encoding's length (UTF-8 takes at most 3 bytes per UTF-16 char), to size the buffer.</summary>
    public static int MaxLength(string previousHash, AuditRecord r)
    {
        var chars = previousHash.Length + r.Outcome.Length + r.ReasonCode.Length + r.Reason.Length + r.Action.Length + (r.IdentityType?.Length ?? 0)
            + (r.IdentityId?.Length ?? 0) + (r.IdentityName?.Length ?? 0) + (r.Binding?.Length ?? 0) + (r.Project?.Length ?? 0) + (r.Environment?.Length ?? 0)
            + (r.Permission?.Length ?? 0) + (r.Keys?.Length ?? 0) + (r.SourceIssuer?.Length ?? 0) + (r.SourceSubject?.Length ?? 0) + (r.ClientIp?.Length ?? 0)
            + (r.UserAgent?.Length ?? 0) + r.RequestId.Length + (r.TokenId?.Length ?? 0) + (r.ActorType?.Length ?? 0) + (r.ActorId?.Length ?? 0)
            + (r.ActorName?.Length ?? 0) + (r.Run?.Length ?? 0) + (r.DpopKey?.Length ?? 0);
        var lineageFields = 0;
        foreach (var (name, value) in r.Lineage ?? EmptyLineage)
        {
            chars += name.Length + value.Length;
            lineageFields += 2;
        }

        return Encoding.UTF8.GetMaxByteCount(chars) + (Count + lineageFields) * Prefix + 5 * MaxFormatted;
    }

    public void Add(string? value)
    {
        if (value is null)
        {
            buffer[Length++] = 0x00;
            return;
        }

        Written(Encoding.UTF8.GetBytes(value, Value()));
    }

    private static readonly Dictionary<string, string> EmptyLineage = [];

    /// <summary>A lineage: null, or its number of entries, then each name and value in ordinal order of the names (a dictionary's own order is not part of it).</summary>
    public void Add(IReadOnlyDictionary<string, string>? lineage)
    {
        if (lineage is null)
        {
            buffer[Length++] = 0x00;
            return;
        }

        Add(lineage.Count);
        foreach (var name in lineage.Keys.Order(StringComparer.Ordinal))
        {
            Add(name);
            Add(lineage[name]);
        }
    }

    public void Add(long value)
    {
        value.TryFormat(Value(), out var written, default, CultureInfo.InvariantCulture);
        Written(written);
    }

    public void Add(DateTimeOffset? at)
    {
        if (at is not { } time)
        {
            buffer[Length++] = 0x00;
            return;
        }

        AuditChain.Truncate(time).UtcDateTime.TryFormat(Value(), out var written, AuditChain.TimestampFormat, CultureInfo.InvariantCulture);
        Written(written);
    }

    /// <summary>Marks a value present and gives the space after its length, which is written once the value is.</summary>
    private readonly Span<byte> Value()
    {
        buffer[Length] = 0x01;
        return buffer.AsSpan(Length + Prefix);
    }

    private void Written(int bytes)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(Length + 1), (uint)bytes);
        Length += Prefix + bytes;
    }
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
    private int _version;

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

        if (!AuditChain.IsKnown(record.ChainVersion))
        {
            return Fail(sequence, $"its chain version {record.ChainVersion} is unknown to this verifier");
        }

        // Versions only go up along the chain: a record after a newer one claiming an older encoding is a downgrade.
        if (record.ChainVersion < _version)
        {
            return Fail(sequence, $"its chain version {record.ChainVersion} is older than the version {_version} of the record before it (a downgrade)");
        }

        if (AuditChain.Hash(previous, sequence, record) != stored)
        {
            return Fail(sequence, "its contents do not match its hash (the record was changed)");
        }

        _firstSequence ??= sequence;
        _lastSequence = sequence;
        _previous = stored;
        _version = record.ChainVersion;
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
