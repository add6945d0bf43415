using System.Buffers.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Federation;

/// <summary>
/// Random mutations of genuine tokens and genuinely signed tokens with random claims, through the real token endpoint:
/// never a 500, never a token for something the binding does not allow, and every refusal audited.
/// </summary>
public sealed class PropertyAttackTests : IAsyncLifetime
{
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private PlatformScenario _github = null!;

    public async Task InitializeAsync() => _github = await PlatformScenario.StartAsync(Platform.GitHub);

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task A_mutated_token_is_refused_unless_it_still_says_exactly_the_same()
    {
        var mutations = Gen.Select(Gen.Int[1, 3], Gen.Int[0, int.MaxValue].Array[3], Gen.Char[Base64UrlAlphabet + ".=+/ %"].Array[3]);
        await mutations.SampleAsync(async (count, positions, characters) =>
        {
            var original = _github.Token();
            var mutated = original.ToCharArray().ToList();
            for (var i = 0; i < count; i++)
            {
                var at = positions[i] % mutated.Count;
                switch (positions[i] % 3)
                {
                    case 0:
                        mutated[at] = characters[i];
                        break;
                    case 1:
                        mutated.Insert(at, characters[i]);
                        break;
                    default:
                        mutated.RemoveAt(at);
                        break;
                }
            }

            var token = new string(mutated.ToArray());
            if (SameContent(original, token))
            {
                return; // e.g. a character replaced by itself: still the genuine token
            }

            var result = await _github.Server.ExchangeAsync(token);

            Assert.True(result.Status is 400 or 403, $"{result.Status} for {token}: {result.Body.ToJsonString()}");
        }, iter: 150);
    }

    [Fact]
    public async Task A_genuinely_signed_token_with_random_claims_gets_access_only_as_the_pinned_repository()
    {
        var values = Gen.OneOf<JsonNode?>(
            Gen.OneOf("74", "65", "74 ", "７４", "refs/heads/main", "refs/heads/Main", "refs/heads/m\u0430in", "pull_request_target", "push", "")
                .Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Int[0, 100].Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Const((JsonNode?)null),
            Gen.Const(() => (JsonNode?)new JsonArray("74")));
        var changes = Gen.Select(Gen.OneOf("repository_id", "repository_owner_id", "ref", "event_name", "sub", "environment"), values).Array[0, 4];
        await changes.SampleAsync(async changed =>
        {
            var claims = _github.Claims();
            foreach (var (name, value) in changed)
            {
                claims[name] = value?.DeepClone();
            }

            var result = await _github.Server.ExchangeAsync(_github.Token(claims));

            Assert.True(result.Status is 200 or 400 or 403, $"{result.Status}: {result.Body.ToJsonString()}");
            var pinned = Is(claims["repository_id"], "74") && Is(claims["repository_owner_id"], "65") && Is(claims["ref"], "refs/heads/main") && !Is(claims["event_name"], "pull_request_target");
            Assert.True(result.Status != 200 || pinned, $"accepted {claims.ToJsonString()}");
        }, iter: 150);

        var refusals = await _github.Server.AuditAsync("?outcome=refused&limit=500");
        Assert.NotEmpty(refusals);
        Assert.DoesNotContain(refusals, r => (string?)r!["reason_code"] == "internal.error");
    }

    private static bool Is(JsonNode? node, string text) => node is JsonValue value && value.TryGetValue<string>(out var s) && s == text;

    /// <summary>The same header, payload and signature bytes: a mutation that changed nothing the server reads.</summary>
    private static bool SameContent(string original, string mutated)
    {
        var (a, b) = (original.Split('.'), mutated.Split('.'));
        return a.Length == b.Length && a.Zip(b).All(pair => Base64Url.IsValid(pair.Second) && Base64Url.DecodeFromChars(pair.First).SequenceEqual(Base64Url.DecodeFromChars(pair.Second)));
    }
}
