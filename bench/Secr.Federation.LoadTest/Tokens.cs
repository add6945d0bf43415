using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Secr.Federation.LoadTest;

/// <summary>
/// The fake trusted issuer: a GitHub-shaped RS256 signing key whose public JWKS is uploaded as a static key set (no
/// network during the run), and subject tokens signed with it, each with its own jti so replay protection stays on.
/// </summary>
public sealed class Tokens
{
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "bench-1" };

    public string Jwks
    {
        get
        {
            var parameters = _key.Rsa.ExportParameters(false);
            return JsonSerializer.Serialize(new
            {
                keys = new[]
                {
                    new { kty = "RSA", kid = _key.KeyId, use = "sig", alg = "RS256", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                },
            });
        }
    }

    public RsaSecurityKey PublicKey => new(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId };

    /// <summary>Signs <paramref name="count"/> tokens for <paramref name="audience"/> on every core; signing is not part of what is measured.</summary>
    public string[] Create(int count, string audience)
    {
        var handler = new JsonWebTokenHandler();
        var credentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256);
        var tokens = new string[count];
        var now = DateTimeOffset.UtcNow;
        Parallel.For(0, count, i => tokens[i] = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = GitHubIssuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.AddSeconds(-5).UtcDateTime,
            Expires = now.AddMinutes(9).UtcDateTime,
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>
            {
                ["jti"] = Guid.NewGuid().ToString(),
                ["sub"] = "repo:octo-org/octo-repo:environment:prod",
                ["environment"] = "prod",
                ["ref"] = "refs/heads/main",
                ["ref_type"] = "branch",
                ["sha"] = "a3f5b1c2d4e6f708192a3b4c5d6e7f8091a2b3c4",
                ["repository"] = "octo-org/octo-repo",
                ["repository_id"] = "74",
                ["repository_owner"] = "octo-org",
                ["repository_owner_id"] = "65",
                ["repository_visibility"] = "private",
                ["actor"] = "octocat",
                ["actor_id"] = "12",
                ["run_id"] = "9876543210",
                ["run_number"] = "10",
                ["run_attempt"] = "1",
                ["runner_environment"] = "github-hosted",
                ["workflow"] = "deploy",
                ["workflow_ref"] = "octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
                ["job_workflow_ref"] = "octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
                ["event_name"] = "push",
            },
            TokenType = "JWT",
        }));
        return tokens;
    }
}
