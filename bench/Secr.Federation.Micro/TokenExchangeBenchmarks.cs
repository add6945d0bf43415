using BenchmarkDotNet.Attributes;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Federation.SubjectTokens;

namespace Secr.Federation.Micro;

/// <summary>
/// One GitHub subject token through the exchange, from the innermost cost outwards: the RS256 signature check alone,
/// stage 1 (authenticate: read, check and verify the token), and the whole admission pipeline.
/// </summary>
[MemoryDiagnoser]
public class TokenExchangeBenchmarks
{
    private InMemoryExchange _exchange = null!;
    private string _subjectToken = null!;
    private AdmissionRequest _authenticationRequest = null!;
    private IssuerKey _issuerKey = null!;
    private ParsedJwt _parsedToken = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        using (var signingKey = new GitHubSigningKey())
        {
            _subjectToken = signingKey.Sign(GitHubWorkload.Payload);
            _exchange = new InMemoryExchange(signingKey.Jwks);
            _issuerKey = IssuerKeySet.Parse(signingKey.Jwks).Keys.Single();
        }

        // The authenticator reads only the credential, so one request serves every call.
        _authenticationRequest = _exchange.Request(_subjectToken);
        if (!JwtReader.TryRead(_subjectToken, out var parsed, out var unreadable))
        {
            throw new InvalidOperationException($"the signed token must be readable: {unreadable!.Detail}");
        }

        _parsedToken = parsed!;

        // Times only the outcomes the names promise, never a refusal path.
        if (!VerifyRs256Signature())
        {
            throw new InvalidOperationException("the token's signature must verify with the uploaded key");
        }

        if ((await AuthenticateGitHubToken()).Refusal is { } refused)
        {
            throw new InvalidOperationException($"the token must authenticate: {refused.Code}: {refused.Detail}");
        }

        if ((await AdmitGitHubToken()).Refusal is { } refusal)
        {
            throw new InvalidOperationException($"the token must be admitted: {refusal.Code}: {refusal.Detail}");
        }
    }

    /// <summary>The floor of stage 1: what verifying the signature costs, however lean the rest of it becomes.</summary>
    [Benchmark]
    public bool VerifyRs256Signature() => _issuerKey.Verify("RS256", _parsedToken.SigningInput, _parsedToken.Signature);

    [Benchmark]
    public ValueTask<StageResult<AuthenticatedCredential>> AuthenticateGitHubToken() =>
        _exchange.Authenticator.AuthenticateAsync(_authenticationRequest, CancellationToken.None);

    /// <summary>Authenticate, resolve the binding, apply the guards and the grant policy, audit; a new request each time, as the token endpoint makes.</summary>
    [Benchmark]
    public Task<AdmissionResult> AdmitGitHubToken() =>
        _exchange.Pipeline.AdmitAsync(_exchange.Request(_subjectToken), CancellationToken.None);
}
