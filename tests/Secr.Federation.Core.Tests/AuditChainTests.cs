using System.Security.Cryptography;
using System.Text;
using Secr.Federation.Core.Audit;

namespace Secr.Federation.Core.Tests;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_hash_is_stable_lower_hex_sha256()
    {
        var hash = AuditChain.Hash(AuditChain.Genesis, 1, Record());

        Assert.Equal(hash, AuditChain.Hash(AuditChain.Genesis, 1, Record()));
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    public static TheoryData<string> Fields() => new(AuditChain.Fields.Where(f => f != "sequence"));

    [Theory]
    [MemberData(nameof(Fields))]
    public void Changing_any_field_changes_the_hash(string field)
    {
        var original = Record() with { TokenExpiresAt = At.AddMinutes(15) };

        var changed = Change(original, field);

        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, 1, original), AuditChain.Hash(AuditChain.Genesis, 1, changed));
    }

    [Fact]
    public void The_sequence_and_the_previous_hash_are_part_of_the_hash()
    {
        var record = Record();

        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, 1, record), AuditChain.Hash(AuditChain.Genesis, 2, record));
        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, 1, record), AuditChain.Hash(new string('1', 64), 1, record));
    }

    [Fact]
    public void Null_empty_and_separator_lookalikes_hash_differently()
    {
        var hashes = new[]
        {
            Record() with { Keys = null },
            Record() with { Keys = "" },
            Record() with { Keys = "\u001fA", Binding = null },
            Record() with { Keys = "A\u001ebinding\u001f\u0001x", Binding = null },
            Record() with { Keys = "A", Binding = "x" },
        }.Select(r => AuditChain.Hash(AuditChain.Genesis, 1, r)).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void A_separator_inside_one_field_cannot_fake_the_boundary_to_the_next()
    {
        // A refusal reason (or a JWT sub) may hold any character: here the reason carries the bytes that separate fields.
        var smuggled = Record() with { Reason = "a\u001eaction\u001f\u0001b", Action = "c" };
        var plain = Record() with { Reason = "a", Action = "b\u001eaction\u001f\u0001c" };

        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, 1, smuggled), AuditChain.Hash(AuditChain.Genesis, 1, plain));
        Assert.Equal(AuditChain.Hash(AuditChain.Genesis, 1, V1(smuggled)), AuditChain.Hash(AuditChain.Genesis, 1, V1(plain)));
    }

    [Fact]
    public void Each_version_hashes_exactly_the_bytes_security_md_describes()
    {
        // A non-ASCII user agent: a version 2 length counts UTF-8 bytes, not characters.
        var record = Record() with { Binding = null, UserAgent = "curl/8 ✓", TokenExpiresAt = At.AddMinutes(15) };
        string?[] values =
        [
            "1", "2026-11-29T12:00:00.0000Z", "allowed", "binding.matched", "binding deploy matched", "urn:ietf:params:oauth:grant-type:token-exchange",
            "oidc_binding", "bnd_1", "deploy", null, "payments", "prod", "read", "A", "https://token.actions.githubusercontent.com",
            "repo:octo-org/octo-repo:ref:refs/heads/main", "203.0.113.7", "curl/8 ✓", "req-1", "jti-1", "2026-11-29T12:15:00.0000Z",
        ];

        // Version 1: previous_hash ‖ 0x1E ‖ for each field: name ‖ 0x1F ‖ (0x00 | 0x01 ‖ UTF-8 value) ‖ 0x1E.
        var v1 = new List<byte>(Encoding.ASCII.GetBytes(AuditChain.Genesis)) { 0x1E };
        foreach (var (name, value) in AuditChain.Fields.Zip(values))
        {
            v1.AddRange([.. Encoding.UTF8.GetBytes(name), 0x1F, .. value is null ? new byte[] { 0x00 } : [0x01, .. Encoding.UTF8.GetBytes(value)], 0x1E]);
        }

        // Version 2: field(previous_hash) ‖ field("2") ‖ field(sequence) ‖ field(timestamp) ‖ …, each 0x00, or 0x01 ‖ uint32 BE length ‖ UTF-8.
        // Version 3: the same with field("3"), then the actor's type, id and name.
        // Version 4: the same with field("4"), then the run and the lineage: its count, then each name and value, names in ordinal order.
        // Version 5: the same with field("5"), then the DPoP key's thumbprint.
        static List<byte> LengthPrefixed(IEnumerable<string?> fields)
        {
            var encoded = new List<byte>();
            foreach (var value in fields)
            {
                var bytes = value is null ? null : Encoding.UTF8.GetBytes(value);
                encoded.AddRange(bytes is null ? [0x00] : [0x01, (byte)(bytes.Length >> 24), (byte)(bytes.Length >> 16), (byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);
            }

            return encoded;
        }

        var v2 = LengthPrefixed(new[] { AuditChain.Genesis, "2" }.Concat(values));
        var v3 = LengthPrefixed(new[] { AuditChain.Genesis, "3" }.Concat(values).Concat(["oidc_binding", "bnd_1", null]));
        var v4 = LengthPrefixed(new[] { AuditChain.Genesis, "4" }.Concat(values).Concat(["oidc_binding", "bnd_1", null, "12345", "2", "run_attempt", "1", "sha", "a3f5"]));
        var v5 = LengthPrefixed(new[] { AuditChain.Genesis, "5" }.Concat(values)
            .Concat(["oidc_binding", "bnd_1", null, "12345", "2", "run_attempt", "1", "sha", "a3f5", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"]));

        Assert.Equal(Sha256Hex(v1), AuditChain.Hash(AuditChain.Genesis, 1, V1(record)));
        Assert.Equal(Sha256Hex(v2), AuditChain.Hash(AuditChain.Genesis, 1, record with { ChainVersion = AuditChain.V2 }));
        Assert.Equal(Sha256Hex(v3), AuditChain.Hash(AuditChain.Genesis, 1, record with { ActorName = null, ChainVersion = AuditChain.V3 }));
        Assert.Equal(Sha256Hex(v4), AuditChain.Hash(AuditChain.Genesis, 1, record with { ActorName = null, ChainVersion = AuditChain.V4 }));
        Assert.Equal(Sha256Hex(v5), AuditChain.Hash(AuditChain.Genesis, 1, record with { ActorName = null }));
    }

    [Fact]
    public void The_actor_is_hashed_from_version_3_on_so_older_records_carry_none()
    {
        var record = Record();
        var otherActor = record with { ActorType = "user", ActorId = "usr_1", ActorName = "eve@example.com" };

        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, 1, record), AuditChain.Hash(AuditChain.Genesis, 1, otherActor));
        Assert.Equal(AuditChain.Hash(AuditChain.Genesis, 1, record with { ChainVersion = AuditChain.V2 }), AuditChain.Hash(AuditChain.Genesis, 1, otherActor with { ChainVersion = AuditChain.V2 }));
    }

    [Fact]
    public void The_lineage_is_hashed_from_version_4_on_whatever_order_its_dictionary_holds()
    {
        var record = Record();
        var reordered = record with { Lineage = new Dictionary<string, string> { ["run_attempt"] = "1", ["sha"] = "a3f5" } };
        // A value moved from one entry to the next must not hash alike: each name and value is a field of its own.
        var shifted = record with { Lineage = new Dictionary<string, string> { ["run_attempt"] = "1sha", ["s"] = "a3f5" } };
        var none = record with { Run = null, Lineage = null };

        Assert.Equal(AuditChain.Hash(AuditChain.Genesis, 1, record), AuditChain.Hash(AuditChain.Genesis, 1, reordered));
        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, 1, record), AuditChain.Hash(AuditChain.Genesis, 1, shifted));
        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, 1, record), AuditChain.Hash(AuditChain.Genesis, 1, none));
        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, 1, none), AuditChain.Hash(AuditChain.Genesis, 1, none with { Lineage = new Dictionary<string, string>() }));
        Assert.Equal(AuditChain.Hash(AuditChain.Genesis, 1, record with { ChainVersion = AuditChain.V3 }), AuditChain.Hash(AuditChain.Genesis, 1, none with { ChainVersion = AuditChain.V3 }));
    }

    [Fact]
    public void The_dpop_key_is_hashed_from_version_5_on()
    {
        var record = Record();
        var bearer = record with { DpopKey = null };

        Assert.Equal(AuditChain.V5, AuditChain.Version);
        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, 1, record), AuditChain.Hash(AuditChain.Genesis, 1, bearer));
        Assert.Equal(AuditChain.Hash(AuditChain.Genesis, 1, record with { ChainVersion = AuditChain.V4 }), AuditChain.Hash(AuditChain.Genesis, 1, bearer with { ChainVersion = AuditChain.V4 }));
    }

    [Fact]
    public void A_chain_of_versions_1_to_5_verifies_but_a_downgrade_or_an_unknown_version_does_not()
    {
        var chain = Chain(9, versionOf: sequence => sequence switch { <= 2 => AuditChain.V1, <= 4 => AuditChain.V2, <= 6 => AuditChain.V3, <= 8 => AuditChain.V4, _ => AuditChain.V5 });

        var verifier = new AuditChainVerifier(AuditChain.Genesis);
        Assert.All(chain, r => Assert.True(verifier.Add(r)));
        Assert.Equal(9, verifier.Report().Records);

        // An older node writing version 2 after a newer one wrote version 3, or 1 after 2: both are downgrades.
        foreach (var (newer, older) in new[] { (AuditChain.V2, AuditChain.V1), (AuditChain.V3, AuditChain.V2), (AuditChain.V3, AuditChain.V1), (AuditChain.V4, AuditChain.V3), (AuditChain.V5, AuditChain.V4) })
        {
            var downgraded = Chain(5, versionOf: sequence => sequence == 4 ? newer : older);
            var refused = new AuditChainVerifier(AuditChain.Genesis);
            Assert.Equal(4, downgraded.TakeWhile(refused.Add).Count());
            Assert.Equal(5, refused.Report().BrokenAt);
            Assert.Contains("downgrade", refused.Report().Problem);
        }

        var future = new AuditChainVerifier(AuditChain.Genesis);
        Assert.False(future.Add(chain[0] with { ChainVersion = 6 }));
        Assert.Contains("version 6 is unknown", future.Report().Problem);
    }

    [Fact]
    public void Times_are_kept_to_a_tenth_of_a_millisecond_in_utc()
    {
        var local = new DateTimeOffset(2026, 11, 29, 13, 0, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567);

        Assert.Equal("2026-11-29T12:00:00.1234Z", AuditChain.Timestamp(local));
        Assert.Equal(AuditChain.Hash(AuditChain.Genesis, 1, Record() with { Timestamp = local }),
            AuditChain.Hash(AuditChain.Genesis, 1, AuditChain.Normalise(Record() with { Timestamp = local })));
    }

    [Fact]
    public void An_intact_chain_verifies_and_reports_its_span()
    {
        var chain = Chain(5);
        var verifier = new AuditChainVerifier(AuditChain.Genesis);

        Assert.All(chain, r => Assert.True(verifier.Add(r)));
        var report = verifier.Report();

        Assert.True(report.Verified);
        Assert.Equal((5L, 1L, 5L, chain[^1].Hash), (report.Records, report.FirstSequence, report.LastSequence, report.LastHash));
    }

    /// <summary>How the third of five records is tampered with, how many records still check out, where the break shows.</summary>
    public static TheoryData<string, int, long?, string> Tampering() => new()
    {
        { "changed", 2, 3, "contents do not match" },
        { "removed", 2, 4, "records 3 to 3 are missing" },
        { "reordered", 2, 4, "records 3 to 3 are missing" },
        { "rehashed", 3, 4, "previous_hash" },
        { "unchained", 2, null, "no chain fields" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Tampering_is_found_at_the_first_broken_link(string how, int intact, long? brokenAt, string problem)
    {
        var chain = Chain(5);
        var third = chain[2];
        switch (how)
        {
            case "changed":
                chain[2] = third with { ClientIp = "198.51.100.1" };
                break;
            case "removed":
                chain.RemoveAt(2);
                break;
            case "reordered":
                (chain[2], chain[3]) = (chain[3], chain[2]);
                break;
            case "rehashed":
                var changed = third with { Reason = "nothing to see" };
                chain[2] = changed with { Hash = AuditChain.Hash(changed.PreviousHash!, 3, changed) };
                break;
            case "unchained":
                chain[2] = third with { Sequence = null };
                break;
        }

        var verifier = new AuditChainVerifier(AuditChain.Genesis);
        var accepted = chain.TakeWhile(verifier.Add).Count();
        var report = verifier.Report();

        Assert.False(report.Verified);
        Assert.Equal(intact, accepted);
        Assert.Equal(brokenAt, report.BrokenAt);
        Assert.Contains(problem, report.Problem);
        Assert.False(verifier.Add(chain[^1]));
    }

    [Fact]
    public void A_chain_that_does_not_start_at_genesis_is_refused_when_genesis_is_expected()
    {
        var chain = Chain(3);

        Assert.False(new AuditChainVerifier(AuditChain.Genesis).Add(chain[1]));
        Assert.True(new AuditChainVerifier().Add(chain[1]));
    }

    private static List<AuditRecord> Chain(int count, Func<long, int>? versionOf = null)
    {
        var chain = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        for (var sequence = 1L; sequence <= count; sequence++)
        {
            var record = Record() with { RequestId = $"req-{sequence}", Timestamp = At.AddSeconds(sequence), ChainVersion = versionOf?.Invoke(sequence) ?? AuditChain.Version };
            var hash = AuditChain.Hash(previous, sequence, record);
            chain.Add(record with { Sequence = sequence, PreviousHash = previous, Hash = hash });
            previous = hash;
        }

        return chain;
    }

    private static string Sha256Hex(List<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray()));

    private static AuditRecord V1(AuditRecord record) => record with { ChainVersion = AuditChain.V1 };

    private static AuditRecord Record() => new()
    {
        ChainVersion = AuditChain.Version,
        Timestamp = At,
        Outcome = AuditOutcome.Allowed,
        ReasonCode = "binding.matched",
        Reason = "binding deploy matched",
        Action = "urn:ietf:params:oauth:grant-type:token-exchange",
        IdentityType = "oidc_binding",
        IdentityId = "bnd_1",
        IdentityName = "deploy",
        Binding = "deploy",
        Project = "payments",
        Environment = "prod",
        Permission = "read",
        Keys = "A",
        SourceIssuer = "https://token.actions.githubusercontent.com",
        SourceSubject = "repo:octo-org/octo-repo:ref:refs/heads/main",
        ClientIp = "203.0.113.7",
        UserAgent = "curl/8",
        RequestId = "req-1",
        TokenId = "jti-1",
        ActorType = "oidc_binding",
        ActorId = "bnd_1",
        ActorName = "deploy",
        Run = "12345",
        Lineage = new Dictionary<string, string> { ["sha"] = "a3f5", ["run_attempt"] = "1" },
        DpopKey = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
    };

    private static AuditRecord Change(AuditRecord r, string field) => field switch
    {
        "timestamp" => r with { Timestamp = r.Timestamp.AddTicks(1_000) },
        "outcome" => r with { Outcome = AuditOutcome.Refused },
        "reason_code" => r with { ReasonCode = "x" },
        "reason" => r with { Reason = r.Reason + "." },
        "action" => r with { Action = "admin" },
        "identity_type" => r with { IdentityType = null },
        "identity_id" => r with { IdentityId = "bnd_2" },
        "identity_name" => r with { IdentityName = "Deploy" },
        "binding" => r with { Binding = "" },
        "project" => r with { Project = "payment" },
        "environment" => r with { Environment = "staging" },
        "permission" => r with { Permission = "read_write" },
        "keys" => r with { Keys = "A,B" },
        "source_issuer" => r with { SourceIssuer = r.SourceIssuer + "/" },
        "source_subject" => r with { SourceSubject = "repo:octo-org/octo-repo:ref:refs/heads/Main" },
        "client_ip" => r with { ClientIp = "203.0.113.8" },
        "user_agent" => r with { UserAgent = null },
        "request_id" => r with { RequestId = "req-2" },
        "token_id" => r with { TokenId = "jti-2" },
        "token_expires_at" => r with { TokenExpiresAt = r.TokenExpiresAt!.Value.AddTicks(1_000) },
        "actor_type" => r with { ActorType = "user" },
        "actor_id" => r with { ActorId = "usr_1" },
        "actor_name" => r with { ActorName = null },
        "run" => r with { Run = "12346" },
        "lineage" => r with { Lineage = new Dictionary<string, string> { ["run_attempt"] = "2", ["sha"] = "a3f5" } },
        "dpop_key" => r with { DpopKey = null },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}
