using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.SubjectTokens;
using Secr.Federation.Core.Tests.Support;
using static Secr.Federation.Core.Tests.Support.TestIssuers;

namespace Secr.Federation.Core.Tests;

/// <summary>Random and mutated claims and tokens against the matcher and the parser: they never throw and never match what they should not.</summary>
public sealed class PropertyTests
{
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly string[] Names = ["repository_id", "repository_owner_id", "ref", "sub", "event_name", "a", "kubernetes.io", "aud"];

    /// <summary>Values that look alike to a careless matcher: padding, case, homoglyphs, full-width digits, other JSON types.</summary>
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.OneOf("74", "74 ", " 74", "074", "７４", "65", "main", "refs/heads/main", "refs/heads/Main", "refs/heads/m\u0430in", "refs/heads/main/x",
            "", "*", "pull_request_target", "repo:octo-org/octo-repo:ref:refs/heads/main"),
        Gen.String[Gen.Char["abcmnxyz0179/*:._-"], 0, 12]);

    private static readonly Gen<JsonNode?> Primitive = Gen.OneOf(
        Text.Select(t => (JsonNode?)JsonValue.Create(t)),
        Gen.Int[-2, 100].Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Const((JsonNode?)null));

    private static readonly Gen<JsonNode?> Value = Gen.Recursive<JsonNode?>((depth, inner) => depth >= 2
        ? Primitive
        : Gen.Frequency(
            (6, Primitive),
            (1, inner.Array[0, 3].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))),
            (1, Gen.Select(Gen.OneOf(Names), inner, (name, value) => (JsonNode?)new JsonObject { [name] = value?.DeepClone() }))));

    private static readonly Gen<JsonObject> Claims = Gen.Select(Gen.OneOf(Names), Value).Array[0, 8].Select(pairs =>
    {
        var claims = new JsonObject();
        foreach (var (name, value) in pairs)
        {
            claims[name] = value?.DeepClone();
        }

        return claims;
    });

    private static readonly Gen<ClaimValue> ConditionValue = Gen.OneOf(
        Text.Select(ClaimValue.String),
        Gen.Bool.Select(b => ClaimValue.TryFrom(JsonSerializer.SerializeToElement(b), out var v) ? v : ClaimValue.String("x")));

    private static readonly Gen<BindingCondition> Condition = Gen.Select(
        Gen.OneOf(Gen.OneOf(Names), Gen.OneOf("/kubernetes.io/namespace", "/a/0", "/repository_id")),
        Gen.OneOf(ConditionOperator.Equals, ConditionOperator.NotEquals, ConditionOperator.Exists, ConditionOperator.Glob),
        ConditionValue.Array[1, 3],
        (claim, op, values) => new BindingCondition(claim, op, op == ConditionOperator.Exists ? [] : values));

    [Fact]
    public void The_matcher_never_throws_on_random_claims_and_conditions() =>
        Gen.Select(Condition.Array[1, 5], Claims, Gen.OneOf(IssuerKind.Generic, IssuerKind.GitHub, IssuerKind.GitLab, IssuerKind.Kubernetes))
            .Sample((conditions, claims, kind) =>
            {
                var evaluation = BindingMatcher.Evaluate(Binding(conditions), IssuerPreset.For(kind), JsonSerializer.SerializeToElement(claims));
                return evaluation.Matched == evaluation.Conditions.All(c => c.Passed);
            }, iter: 5_000);

    [Fact]
    public void Equals_and_exists_match_exactly_when_a_plain_reference_says_so() =>
        Gen.Select(Condition.Where(c => c.Operator is ConditionOperator.Equals or ConditionOperator.Exists && !c.Claim.StartsWith('/')).Array[1, 4], Claims)
            .Sample((conditions, claims) =>
                BindingMatcher.Evaluate(Binding(conditions), IssuerPreset.For(IssuerKind.Generic), JsonSerializer.SerializeToElement(claims)).Matched
                == conditions.All(c => Reference(c, claims[c.Claim])), iter: 5_000);

    [Fact]
    public void A_github_binding_pinned_to_a_repository_never_matches_another_repository_or_pull_request_target()
    {
        var binding = Binding(Eq("repository_id", "74"), Eq("repository_owner_id", "65"));
        Claims.Sample(claims =>
        {
            var matched = BindingMatcher.Evaluate(binding, IssuerPreset.For(IssuerKind.GitHub), JsonSerializer.SerializeToElement(claims)).Matched;
            var genuine = IsString(claims["repository_id"], "74") && IsString(claims["repository_owner_id"], "65") && !IsString(claims["event_name"], "pull_request_target");
            return !matched || genuine;
        }, iter: 10_000);
    }

    [Fact]
    public void The_token_reader_never_throws_on_random_text_and_refuses_what_is_not_three_base64url_json_segments() =>
        Gen.OneOf(
                Gen.String[Gen.Char[Base64Url + ".=+/ "], 0, 200],
                Gen.String,
                Gen.Select(Gen.String[Gen.Char[Base64Url], 0, 40].Array[1, 6], parts => string.Join('.', parts)))
            .Sample(text =>
            {
                var read = JwtReader.TryRead(text, out var jwt, out var refusal);
                return read ? jwt is not null && text.Count(c => c == '.') == 2 : refusal is not null;
            }, iter: 20_000);

    [Fact]
    public void Mutating_any_character_of_a_token_changes_what_it_says_or_is_refused()
    {
        var original = TestJwt.Token("""{"alg":"RS256","kid":"k1","typ":"JWT"}""", """{"iss":"https://issuer.example","sub":"x","aud":"a","exp":2000000000}""");
        Assert.True(JwtReader.TryRead(original, out var parsed, out _));
        Gen.Select(Gen.Int[0, original.Length - 1], Gen.Char[Base64Url + ".=+/ "]).Where((i, c) => original[i] != c).Sample((index, replacement) =>
        {
            var mutated = string.Concat(original.AsSpan(0, index), replacement.ToString(), original.AsSpan(index + 1));
            return !JwtReader.TryRead(mutated, out var jwt, out _) || !jwt!.SigningInput.SequenceEqual(parsed!.SigningInput) || !jwt.Signature.SequenceEqual(parsed.Signature);
        }, iter: 5_000);
    }

    private static bool Reference(BindingCondition condition, JsonNode? claim)
    {
        if (claim is null)
        {
            return false;
        }

        return condition.Operator == ConditionOperator.Exists || condition.Values.Any(v => v.Kind switch
        {
            JsonValueKind.String => claim is JsonValue s && s.GetValueKind() == JsonValueKind.String && string.Equals(s.GetValue<string>(), v.Text, StringComparison.Ordinal),
            // A boolean condition value is kept as its JSON text ("true" or "false").
            JsonValueKind.True or JsonValueKind.False => claim is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False && b.ToJsonString() == v.Text,
            _ => throw new InvalidOperationException("the generator makes strings and booleans only"),
        });
    }

    private static bool IsString(JsonNode? node, string text) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == text;
}
