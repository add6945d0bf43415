using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Server.Tests.Harness;
using Xunit.Abstractions;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>
/// Garbage in the token endpoint's form, with every grant type and every kind of credential, at both paths OpenIddict
/// answers: each refusal is an RFC 6749 error, never a 5xx or an error in the log, and changes nothing but the audit.
/// </summary>
public sealed class TokenEndpointFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FuzzTarget _target = null!;

    public async Task InitializeAsync() => _target = await FuzzTarget.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task Token_requests_full_of_garbage_get_oauth_errors_and_change_nothing()
    {
        FormCredential[] credentials =
        [
            new("a workload JWT", true, _target.SubjectToken),
            new("a live machine token", true, () => _target.MachineToken),
            new("a live agent token", true, () => _target.AgentToken),
            new("a JWT signed by an unknown key", false, _target.ForgedSubjectToken),
            new("a forged machine token", false, () => CredentialFormat.NewMachineToken("prod")),
            new("a forged agent token", false, CredentialFormat.NewAgentToken),
            new("an admin's personal token", false, () => SecrServer.AdminToken),
            new("a member's personal token", false, () => _target.MemberToken),
            new("garbage", false, () => "a.b.c"),
        ];
        var route = new FuzzRoute("POST", "/connect/token", RouteFamily.OAuth, [], [], null, [], []);
        await using var run = await FuzzRun.StartAsync(_target.Server, output);
        foreach (var path in new[] { route.Template, route.Template + "/" })
        {
            foreach (var credential in credentials)
            {
                var caller = new FuzzCaller($"form with {credential.Name}", null, credential.Genuine);
                foreach (var @case in new TokenRequestGarbage(path, credential, FuzzSeed.For($"{path} {credential.Name}")).Cases())
                {
                    await run.SendAsync(route, caller, @case);
                }
            }
        }

        run.AssertNoProblems("token endpoint");
        Assert.True(run.Changes > 0, "no live credential was honoured, or the database watch is blind: a change would go unseen");
    }
}
