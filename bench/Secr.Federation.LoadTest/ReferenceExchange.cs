using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Secr.Federation.LoadTest;

/// <summary>
/// The work both reference processes (the bare baseline and OpenIddict's ceiling) do for one exchange, written once so
/// that the only difference between them is what carries it: the same RS256 subject-token checks (signature against
/// the uploaded keys, issuer, audience, lifetime) and the same claims the real server puts in its access token.
/// </summary>
public sealed class ReferenceExchange
{
    /// <summary>Where the load test tells a reference process its own address: the subject tokens' audience and the issuer it signs as.</summary>
    public const string AddressVariable = "SECR_BENCH_ADDRESS";

    /// <summary>RFC 8693 §3's identifier for a JWT, the type the load test gives its GitHub-shaped subject tokens.</summary>
    public const string SubjectTokenType = "urn:ietf:params:oauth:token-type:jwt";

    public const string AccessTokenAudience = "secr";

    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(15);

    public static readonly string[] Scopes = ["secrets:read", "binding:deploy"];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _subjectToken;

    private ReferenceExchange(string address, IList<SecurityKey> keys)
    {
        Address = address;
        _subjectToken = new TokenValidationParameters
        {
            ValidIssuer = Tokens.GitHubIssuer,
            ValidAudience = address,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(60),
            TryAllIssuerSigningKeys = false,
        };
    }

    /// <summary>This process's address, with its trailing slash, as the load test signs it into the subject tokens.</summary>
    public string Address { get; }

    public static async Task<ReferenceExchange> LoadAsync(string jwksFile) => new(
        Environment.GetEnvironmentVariable(AddressVariable) ?? throw new InvalidOperationException($"{AddressVariable} is not set"),
        new JsonWebKeySet(await File.ReadAllTextAsync(jwksFile)).GetSigningKeys());

    /// <summary>The subject of a valid subject token; null when the token is not valid.</summary>
    public async Task<string?> ValidateAsync(string subjectToken)
    {
        var validation = await _handler.ValidateTokenAsync(subjectToken, _subjectToken);
        return validation.IsValid ? validation.ClaimsIdentity.FindFirst("sub")?.Value ?? "" : null;
    }

    /// <summary>The identity claims of the real server's access token for a pinned binding (AdmitTokenRequest), besides the registered ones.</summary>
    public static IEnumerable<KeyValuePair<string, string>> IdentityClaims(string sourceSubject) =>
    [
        new("sub", "bnd_baseline"),
        new("secr_identity_type", "oidc_binding"),
        new("secr_identity_name", "deploy"),
        new("secr_project", "payments"),
        new("secr_environment", "prod"),
        new("secr_permission", "read"),
        new("secr_binding", "deploy"),
        new("secr_src_iss", Tokens.GitHubIssuer),
        new("secr_src_sub", sourceSubject),
        new("secr_grant_id", Guid.NewGuid().ToString("N")),
    ];
}
