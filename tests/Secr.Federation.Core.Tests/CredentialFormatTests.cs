using System.IO.Hashing;
using System.Text;
using Secr.Federation.Core.Identities.Credentials;

namespace Secr.Federation.Core.Tests;

public sealed class CredentialFormatTests
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int RandomLength = 43;
    private const int ChecksumLength = 6;

    public static TheoryData<string, string> Generated() => new()
    {
        { CredentialFormat.MachinePrefix, CredentialFormat.NewMachineToken("prod") },
        { CredentialFormat.MachinePrefix, CredentialFormat.NewMachineToken("eu-west") },
        { CredentialFormat.AgentPrefix, CredentialFormat.NewAgentToken() },
        { CredentialFormat.PersonalPrefix, CredentialFormat.NewPersonalToken() },
    };

    [Fact]
    public void Generated_tokens_carry_their_kind_prefix()
    {
        Assert.StartsWith("secr_mt_prod_", CredentialFormat.NewMachineToken("prod"), StringComparison.Ordinal);
        Assert.StartsWith("secr_agent_", CredentialFormat.NewAgentToken(), StringComparison.Ordinal);
        Assert.StartsWith("secr_pat_", CredentialFormat.NewPersonalToken(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public void Generated_tokens_are_well_formed_for_their_own_prefix(string prefix, string token)
    {
        Assert.True(CredentialFormat.IsWellFormed(token, prefix));
    }

    [Fact]
    public void Generated_tokens_have_the_documented_lengths()
    {
        Assert.Equal("secr_mt_prod_".Length + RandomLength + ChecksumLength, CredentialFormat.NewMachineToken("prod").Length);
        Assert.Equal("secr_agent_".Length + RandomLength + ChecksumLength, CredentialFormat.NewAgentToken().Length);
        Assert.Equal("secr_pat_".Length + RandomLength + ChecksumLength, CredentialFormat.NewPersonalToken().Length);
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public void The_random_part_is_43_base62_characters_so_at_least_256_bits(string prefix, string token)
    {
        _ = prefix;
        var random = RandomPart(token);

        Assert.Equal(RandomLength, random.Length);
        Assert.All(random, c => Assert.Contains(c, Alphabet));
        Assert.True(RandomLength * Math.Log2(62) >= 256);
    }

    [Fact]
    public void The_random_part_draws_from_the_whole_alphabet()
    {
        var seen = new HashSet<char>();
        for (var i = 0; i < 300; i++)
        {
            seen.UnionWith(RandomPart(CredentialFormat.NewAgentToken()));
        }

        // 300 × 43 draws: a character that never appears would mean a biased or truncated alphabet.
        Assert.Equal(Alphabet.Length, seen.Count);
    }

    [Fact]
    public void Two_generations_differ()
    {
        Assert.NotEqual(CredentialFormat.NewMachineToken("prod"), CredentialFormat.NewMachineToken("prod"));
        Assert.NotEqual(CredentialFormat.NewAgentToken(), CredentialFormat.NewAgentToken());
        Assert.NotEqual(CredentialFormat.NewPersonalToken(), CredentialFormat.NewPersonalToken());

        var many = Enumerable.Range(0, 1000).Select(_ => RandomPart(CredentialFormat.NewPersonalToken())).ToHashSet();
        Assert.Equal(1000, many.Count);
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public void The_checksum_is_the_crc32_of_everything_before_it_in_six_base62_characters(string prefix, string token)
    {
        _ = prefix;
        Assert.Equal(Checksum(token[..^ChecksumLength]), token[^ChecksumLength..]);
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public void Every_single_character_substitution_is_caught(string prefix, string token)
    {
        for (var i = 0; i < token.Length; i++)
        {
            foreach (var replacement in Alphabet.Append('_').Append('-'))
            {
                if (replacement == token[i])
                {
                    continue;
                }

                var changed = string.Concat(token.AsSpan(0, i), replacement.ToString(), token.AsSpan(i + 1));
                Assert.False(CredentialFormat.IsWellFormed(changed, prefix), $"substitution at {i} with '{replacement}' accepted: {changed}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public void Every_single_character_deletion_is_caught(string prefix, string token)
    {
        for (var i = 0; i < token.Length; i++)
        {
            var changed = token.Remove(i, 1);
            Assert.False(CredentialFormat.IsWellFormed(changed, prefix), $"deletion at {i} accepted: {changed}");
        }
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public void Every_single_character_case_change_is_caught(string prefix, string token)
    {
        var letters = 0;
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            var flipped = char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c);
            if (flipped == c)
            {
                continue;
            }

            letters++;
            var changed = string.Concat(token.AsSpan(0, i), flipped.ToString(), token.AsSpan(i + 1));
            Assert.False(CredentialFormat.IsWellFormed(changed, prefix), $"case change at {i} accepted: {changed}");
        }

        Assert.True(letters > 0);
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public void A_single_character_insertion_is_caught(string prefix, string token)
    {
        for (var i = 0; i <= token.Length; i++)
        {
            var changed = token.Insert(i, "x");
            Assert.False(CredentialFormat.IsWellFormed(changed, prefix), $"insertion at {i} accepted: {changed}");
        }
    }

    [Fact]
    public void A_token_is_not_well_formed_under_another_prefix()
    {
        var machine = CredentialFormat.NewMachineToken("prod");
        var agent = CredentialFormat.NewAgentToken();
        var personal = CredentialFormat.NewPersonalToken();

        Assert.False(CredentialFormat.IsWellFormed(machine, CredentialFormat.AgentPrefix));
        Assert.False(CredentialFormat.IsWellFormed(machine, CredentialFormat.PersonalPrefix));
        Assert.False(CredentialFormat.IsWellFormed(agent, CredentialFormat.MachinePrefix));
        Assert.False(CredentialFormat.IsWellFormed(agent, CredentialFormat.PersonalPrefix));
        Assert.False(CredentialFormat.IsWellFormed(personal, CredentialFormat.MachinePrefix));
        Assert.False(CredentialFormat.IsWellFormed(personal, CredentialFormat.AgentPrefix));
    }

    [Fact]
    public void A_foreign_prefix_with_a_valid_checksum_is_refused()
    {
        // Same shape as an agent token, checksum recomputed, but the prefix is not secr's.
        var body = "ghp_agent_" + RandomPart(CredentialFormat.NewAgentToken());
        var token = body + Checksum(body);

        Assert.False(CredentialFormat.IsWellFormed(token, CredentialFormat.AgentPrefix));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secr_agent_")]
    [InlineData("secr_mt_prod_")]
    [InlineData("not a token")]
    public void Null_empty_and_short_values_are_not_well_formed(string? value)
    {
        Assert.False(CredentialFormat.IsWellFormed(value, CredentialFormat.AgentPrefix));
        Assert.False(CredentialFormat.IsWellFormed(value, CredentialFormat.MachinePrefix));
    }

    [Fact]
    public void An_overlong_value_is_refused_even_with_a_valid_checksum()
    {
        var body = $"secr_mt_{new string('e', 80)}_" + RandomPart(CredentialFormat.NewAgentToken());
        var token = body + Checksum(body);

        Assert.True(token.Length > 128);
        Assert.False(CredentialFormat.IsWellFormed(token, CredentialFormat.MachinePrefix));
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("dev")]
    [InlineData("eu-west")]
    [InlineData("staging-2")]
    public void The_environment_hint_is_the_environment_the_token_was_made_for(string environment)
    {
        Assert.Equal(environment, CredentialFormat.EnvironmentHint(CredentialFormat.NewMachineToken(environment)));
    }

    [Fact]
    public void A_malformed_or_foreign_token_has_no_environment_hint()
    {
        var token = CredentialFormat.NewMachineToken("prod");

        Assert.Null(CredentialFormat.EnvironmentHint(token[..^1] + (token[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(CredentialFormat.EnvironmentHint(CredentialFormat.NewAgentToken()));
        Assert.Null(CredentialFormat.EnvironmentHint(""));
    }

    [Fact]
    public void A_machine_token_without_an_environment_segment_is_not_well_formed_and_has_no_hint()
    {
        // "secr_mt_" + 43 random characters + a correct checksum: never issued (NewMachineToken always adds "{env}_").
        var body = CredentialFormat.MachinePrefix + new string('A', RandomLength);
        var token = body + Checksum(body);
        Assert.Equal("secr_mt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0nbdit", token);

        Assert.False(CredentialFormat.IsWellFormed(token, CredentialFormat.MachinePrefix));
        Assert.Null(CredentialFormat.EnvironmentHint(token));
    }

    [Fact]
    public void A_machine_token_without_the_separator_after_its_environment_is_not_well_formed()
    {
        var body = "secr_mt_prodX" + new string('A', RandomLength);
        var token = body + Checksum(body);

        Assert.False(CredentialFormat.IsWellFormed(token, CredentialFormat.MachinePrefix));
        Assert.Null(CredentialFormat.EnvironmentHint(token));
    }

    [Fact]
    public void The_digest_is_64_hex_characters_and_deterministic()
    {
        var token = CredentialFormat.NewMachineToken("prod");
        var digest = CredentialFormat.Digest(token);

        Assert.Equal(64, digest.Length);
        Assert.All(digest, c => Assert.True(Uri.IsHexDigit(c), $"'{c}' is not hex"));
        Assert.Equal(digest, CredentialFormat.Digest(token));
        Assert.Equal(digest, CredentialFormat.Digest(new string(token.ToCharArray())));
    }

    [Fact]
    public void The_digest_is_sha256_of_the_utf8_value()
    {
        Assert.Equal("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", CredentialFormat.Digest("abc"), ignoreCase: true);
    }

    [Fact]
    public void Different_values_have_different_digests()
    {
        var token = CredentialFormat.NewAgentToken();
        var other = CredentialFormat.NewAgentToken();

        Assert.NotEqual(CredentialFormat.Digest(token), CredentialFormat.Digest(other));
        Assert.NotEqual(CredentialFormat.Digest(token), CredentialFormat.Digest(token[..^1]));
        Assert.NotEqual(CredentialFormat.Digest("secr_mt_prod_a"), CredentialFormat.Digest("secr_mt_prod_A"));
    }

    private static string RandomPart(string token) => token[^(RandomLength + ChecksumLength)..^ChecksumLength];

    /// <summary>The checksum as documented: CRC-32 of the body, as 6 base62 digits, most significant first.</summary>
    private static string Checksum(string body)
    {
        var crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(body));
        var chars = new char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(crc % 62)];
            crc /= 62;
        }

        return new string(chars);
    }
}
