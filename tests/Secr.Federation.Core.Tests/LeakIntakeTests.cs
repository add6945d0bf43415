using System.Security.Cryptography;
using System.Text;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Leaks;

namespace Secr.Federation.Core.Tests;

/// <summary>The offline halves of leaked-token intake: GitHub's key document and signature, the report's shape and bounds, the scanners' pattern.</summary>
public sealed class LeakIntakeTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""[{"token":"secr_mt_prod_x","type":"secr","url":"https://github.com/a/b","source":"commit"}]""");

    private static string Document(params (string Id, AsymmetricAlgorithm Key)[] keys) =>
        $$"""{"public_keys":[{{string.Join(",", keys.Select(k => $$"""{"key_identifier":"{{k.Id}}","key":"{{k.Key.ExportSubjectPublicKeyInfoPem().ReplaceLineEndings("\\n")}}","is_current":true}"""))}}]}""";

    // ---- GitHub's public keys document and signature ------------------------------------------------------------------

    [Fact]
    public void Only_P256_keys_of_the_document_are_kept_each_under_its_identifier()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);

        var keys = IssuerKeySet.ParsePublicKeys(Encoding.UTF8.GetBytes(Document(("a", p256), ("b", p384), ("c", rsa)))).Keys;

        var key = Assert.Single(keys);
        Assert.Equal(("a", "P-256", "ES256"), (key.Kid, key.Curve, key.Alg));
    }

    [Theory]
    [InlineData("""{"keys":[]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"public_keys":{}}""")]
    public void A_document_without_a_public_keys_array_is_refused(string json) =>
        Assert.Throws<FormatException>(() => IssuerKeySet.ParsePublicKeys(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Entries_that_are_not_keys_are_skipped_never_trusted()
    {
        var keys = IssuerKeySet.ParsePublicKeys(Encoding.UTF8.GetBytes(
            """{"public_keys":[{"key_identifier":"x","key":"-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----"},{"key":"no id"},"text",{"key_identifier":"","key":""}]}""")).Keys;

        Assert.Empty(keys);
    }

    [Fact]
    public void A_DER_signature_by_the_key_verifies_and_anything_else_does_not()
    {
        using var github = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = Assert.Single(IssuerKeySet.ParsePublicKeys(Encoding.UTF8.GetBytes(Document(("k", github)))).Keys);
        var der = github.SignData(Body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.True(key.VerifyDerP256(Body, der));
        Assert.False(key.VerifyDerP256([.. Body, (byte)' '], der));
        Assert.False(key.VerifyDerP256(Body, impostor.SignData(Body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        // The JWS form of the same signature is not GitHub's, and neither is garbage.
        Assert.False(key.VerifyDerP256(Body, github.SignData(Body, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)));
        Assert.False(key.VerifyDerP256(Body, [0x30, 0x00]));
        Assert.False(key.VerifyDerP256(Body, []));
    }

    // ---- the report ---------------------------------------------------------------------------------------------------

    [Fact]
    public void A_report_keeps_each_token_with_its_type_url_and_source_and_names_it_by_its_lower_case_sha256()
    {
        var (tokens, error) = SecretScanningReport.Parse(Body);

        Assert.Null(error);
        var token = Assert.Single(tokens!);
        Assert.Equal(("secr_mt_prod_x", "secr", "https://github.com/a/b", "commit"), (token.Token, token.Type, token.Url, token.Source));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("secr_mt_prod_x"))).ToLowerInvariant(), token.Hash);
    }

    [Theory]
    [InlineData("""{"token":"x"}""", "JSON array")]
    [InlineData("""[{"token":""}]""", "item 0")]
    [InlineData("""[{"token":"a"},{"type":"t"}]""", "item 1")]
    [InlineData("""[{"token":1}]""", "item 0")]
    [InlineData("""[{"token":"a","token":"b"}]""", "not JSON")]
    [InlineData("""nope""", "not JSON")]
    public void A_body_that_is_not_a_report_is_refused_with_why(string body, string why)
    {
        var (tokens, error) = SecretScanningReport.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(tokens);
        Assert.Contains(why, error);
    }

    [Fact]
    public void A_report_is_bounded_in_tokens_and_in_each_token()
    {
        var many = "[" + string.Join(",", Enumerable.Repeat("""{"token":"a"}""", SecretScanningReport.MaxTokens + 1)) + "]";
        var long_ = $$"""[{"token":"{{new string('a', SecretScanningReport.MaxTokenLength + 1)}}"}]""";

        Assert.Contains("at most 1000", SecretScanningReport.Parse(Encoding.UTF8.GetBytes(many)).Error);
        Assert.Contains("1 to 1024", SecretScanningReport.Parse(Encoding.UTF8.GetBytes(long_)).Error);
    }

    [Fact]
    public void What_the_audit_keeps_of_a_scanners_text_is_bounded_and_has_no_control_characters()
    {
        Assert.Equal("ab", SecretScanningReport.Kept("a\r\nb\u0000"));
        Assert.Equal(2048, SecretScanningReport.Kept(new string('u', 5000))!.Length);
        Assert.Null(SecretScanningReport.Kept("\n"));
        Assert.Null(SecretScanningReport.Kept(null));
    }

    // ---- the scanners' pattern ----------------------------------------------------------------------------------------

    [Fact]
    public void The_pattern_finds_every_kind_of_secr_credential_in_any_text_once_each()
    {
        var machine = CredentialFormat.NewMachineToken("prod-eu");
        var agent = CredentialFormat.NewAgentToken();
        var personal = CredentialFormat.NewPersonalToken();
        var text = $$"""{"Secret":"{{machine}}","Match":"TOKEN={{machine}}"}{{"\n"}}export X='{{agent}}' # {{personal}}""";

        Assert.Equal([machine, agent, personal], CredentialCandidates.Extract(text));
    }

    [Theory]
    [InlineData("xsecr_agent_")]
    [InlineData("secr_agent_")]
    public void A_credential_inside_a_longer_word_or_cut_short_is_not_a_candidate(string prefix)
    {
        var agent = CredentialFormat.NewAgentToken();
        var body = agent[CredentialFormat.AgentPrefix.Length..];

        Assert.Empty(CredentialCandidates.Extract(prefix == "xsecr_agent_" ? "x" + agent : prefix + body[..^1]));
        Assert.Empty(CredentialCandidates.Extract(agent + "Z"));
    }

    // ---- posture and policy -------------------------------------------------------------------------------------------

    [Fact]
    public void A_leaked_credential_grades_F_with_the_leak_first_until_it_is_retired()
    {
        var grader = new PostureGrader(new PostureSettings());
        var now = new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);
        var clean = new NhiRecord
        {
            Type = "machine_token", Id = "mt_1", Name = "deploy", State = Identities.IdentityStatus.Active, Status = "active", Owner = OwnerState.Active,
            Project = "payments", Environment = "prod", CreatedAt = now.AddDays(-1), LastRotatedAt = now.AddDays(-1), LastUsedAt = now, ExpiresAt = now.AddDays(30),
            HasCredential = true, HasIpRestriction = true,
        };

        var leaked = grader.Grade(clean with { LeakedAt = now }, null, now);
        var retired = grader.Grade(clean with { LeakedAt = now, State = Identities.IdentityStatus.Revoked, Status = "revoked" }, null, now);

        Assert.Equal('A', grader.Grade(clean, null, now).Grade);
        Assert.Equal('F', leaked.Grade);
        Assert.Equal("Leaked: reported by secret scanning", leaked.Summary);
        Assert.Null(retired.Grade);
        Assert.Equal(FindingKind.Leaked, retired.LeakFlag?.Kind);
    }

    [Fact]
    public void The_leak_response_is_disable_unless_set_to_revoke()
    {
        Assert.False(OrganisationPolicies.None.RevokesLeaks);
        Assert.True(new OrganisationPolicies { LeakResponse = OrganisationPolicies.LeakRevoke }.RevokesLeaks);
        Assert.Equal(["leak_response"], new OrganisationPolicies { LeakResponse = "delete" }.Validate([]).Select(e => e.Field));
    }
}
