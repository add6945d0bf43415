using System.Text.Json.Nodes;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>
/// Who sends a fuzzed request: a name for the failure message, the credential (a bearer token, or a cookie and the
/// antiforgery field its forms carry; none: anonymous), and whether it is genuine where it is sent (one the server issued, for that route).
/// </summary>
public sealed record FuzzCaller(string Name, string? BearerToken, bool Genuine, string? Cookie = null, string? FormField = null);

/// <summary>
/// A server with something of everything for the fuzz to aim at: a project with a secret, a trusted issuer (a fake
/// GitHub) with a pinned binding, a member who owns a machine token and an agent, and the callers that knock on every
/// route. The harness lifts the rate limits (<see cref="SecrServer.LiftedRateLimits"/>), so every request reaches its
/// handler; the background jobs are pushed out of the run, so the database changes only by the fuzz's requests.
/// </summary>
public sealed class FuzzTarget : IAsyncDisposable
{
    public const string MemberEmail = "mia@example.com";

    /// <summary>A member the paths name, so that offboarding them (as the garbage may) leaves the member caller working.</summary>
    public const string VictimEmail = "vic@example.com";

    private FuzzTarget(PlatformScenario scenario, SigningKey unknownKey)
    {
        Scenario = scenario;
        UnknownKey = unknownKey;
    }

    public PlatformScenario Scenario { get; }

    public SecrServer Server => Scenario.Server;

    /// <summary>A key nobody trusts, of the trusted one's kind, signing the forged JWTs under the kid of a key the server does trust.</summary>
    public SigningKey UnknownKey { get; }

    public string MemberToken { get; private set; } = null!;

    public string MachineToken { get; private set; } = null!;

    public string AgentToken { get; private set; } = null!;

    /// <summary>Values each path parameter can take that name something that exists, by parameter name.</summary>
    public IReadOnlyDictionary<string, string[]> ExistingValues { get; private set; } = null!;

    /// <summary>Admin, member, a live workload, two forgeries (a well-formed machine token that was never issued, an access token signed by an unknown key) and no one.</summary>
    public IReadOnlyList<FuzzCaller> Callers { get; private set; } = null!;

    public static async Task<FuzzTarget> StartAsync()
    {
        var server = new SecrServer(settings: new Dictionary<string, string?> { ["Secr:Jobs:IntervalSeconds"] = "86400" });
        var scenario = await PlatformScenario.StartAsync(Platform.GitHub, server);
        var target = new FuzzTarget(scenario, Platform.GitHub.NewSigningKey(scenario.Key.Kid));
        await target.SeedAsync();
        return target;
    }

    private async Task SeedAsync()
    {
        await Server.PostAdminAsync("/api/v1/users", new { email = MemberEmail, display_name = "Mia", role = "member" });
        await Server.PostAdminAsync("/api/v1/users", new { email = VictimEmail, display_name = "Vic", role = "member" });
        MemberToken = (string)(await Server.PostAdminAsync($"/api/v1/users/{MemberEmail}/tokens", new { }))["token"]!;
        var machine = await MachineTokenAsync("mia-ci");
        MachineToken = (string)machine["token"]!;
        AgentToken = (string)(await AgentAsync("mia-bot"))["token"]!;
        Assert.Equal(200, (await Server.SendAdminAsync(HttpMethod.Put, "/api/v1/projects/payments/environments/prod/secrets/DATABASE_URL", new { value = "postgres://app@db/payments" })).Status);

        // What the paths name: identities of their own, so that a revoke, kill or offboarding the garbage happens to
        // make (a plausible request by an admin is honoured) leaves the callers' credentials working.
        var victims = new[] { (string)(await MachineTokenAsync("victim-ci"))["details"]!["id"]!, (string)(await AgentAsync("victim-bot"))["details"]!["id"]!, (string)(await Server.SendAdminAsync(HttpMethod.Get, "/api/v1/bindings/deploy")).Body!["id"]! };

        // The console's key ring is made on first use; made now, a later change to it is the fuzz's doing.
        using (var warmUp = await Server.CreateClient().GetAsync("/console/login"))
        {
            Assert.True(warmUp.IsSuccessStatusCode);
        }

        ExistingValues = new Dictionary<string, string[]>
        {
            ["project"] = ["payments"],
            ["environment"] = ["prod", "staging"],
            ["key"] = ["DATABASE_URL"],
            ["name"] = ["ci", "deploy"],
            ["email"] = [VictimEmail],
            ["id"] = victims,
            ["type"] = ["machine_token", "agent", "oidc_binding"],
            ["fix"] = ["set-expiry", "roll", "disable", "transfer", "narrow-allowlist", "allow-observed-ips"],
        };

        // The admin last: the others' garbage meets the identities before an admin's plausible request changes them.
        Callers =
        [
            new("anonymous", null, Genuine: false),
            new("forged machine token", CredentialFormat.NewMachineToken("prod"), Genuine: false),
            new("forged access token", await ForgedAccessTokenAsync((string)machine["details"]!["id"]!), Genuine: false),
            new("machine token", MachineToken, Genuine: true),
            new("member", MemberToken, Genuine: true),
            new("admin", SecrServer.AdminToken, Genuine: true),
        ];
    }

    /// <summary>A read-write machine token and an agent on payments/prod, owned by the member (who may look after them).</summary>
    private Task<JsonObject> MachineTokenAsync(string name) =>
        Server.PostAdminAsync("/api/v1/tokens", new { name, environment = "prod", project = "payments", permission = "read_write", expires = "30d", owner = MemberEmail });

    private Task<JsonObject> AgentAsync(string name) =>
        Server.PostAdminAsync("/api/v1/agents", new { name, project = "payments", environment = "prod", expires = "1d", allow = new[] { "DATABASE_URL" }, owner = MemberEmail });

    /// <summary>
    /// The console's callers: an admin signed in (the session cookie, and the antiforgery field its forms carry), the
    /// admin's token as a bearer (the console takes cookies only), a forged session cookie, and no one.
    /// </summary>
    public async Task<IReadOnlyList<FuzzCaller>> ConsoleCallersAsync()
    {
        using var client = Server.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var login = await client.GetAsync("/console/login");
        var cookies = Cookies(login);
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/console/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = SecrServer.AdminToken, ["__csrf"] = ConsoleSignIn.Csrf(await login.Content.ReadAsStringAsync()) }),
        };
        signIn.Headers.Add("Cookie", cookies);
        using var signedIn = await client.SendAsync(signIn);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signedIn.StatusCode);
        cookies += "; " + Cookies(signedIn);

        // Antiforgery tokens are bound to the user: the forms' field comes from a page the session sees.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/console/policies");
        page.Headers.Add("Cookie", cookies);
        using var policies = await client.SendAsync(page);
        var csrf = ConsoleSignIn.Csrf(await policies.Content.ReadAsStringAsync());
        return
        [
            new("admin session", null, Genuine: true, cookies, $"__csrf={Uri.EscapeDataString(csrf)}"),
            new("admin token as a bearer", SecrServer.AdminToken, Genuine: false),
            new("forged session cookie", null, Genuine: false, "secr_console=CfDJ8" + new string('A', 200)),
            new("anonymous", null, Genuine: false),
        ];
    }

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Select(c => c.Split(';')[0]) : []);

    /// <summary>A workload JWT from the trusted issuer, as it would send it, signed by the trusted key.</summary>
    public string SubjectToken() => Scenario.Token();

    /// <summary>The same workload JWT, with the trusted key's kid, signed by a key no one trusts.</summary>
    public string ForgedSubjectToken() => JwtBuilder.Create(UnknownKey).Claims(Scenario.Claims()).Build();

    /// <summary>
    /// An access token shaped like the server's own (its issuer, its current kid, a live identity as subject) but signed
    /// by a key it never had.
    /// </summary>
    private async Task<string> ForgedAccessTokenAsync(string machineTokenId)
    {
        var jwks = JsonNode.Parse(await Server.CreateClient().GetStringAsync("/.well-known/jwks"))!;
        var kid = (string)jwks["keys"]![0]!["kid"]!;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = "http://localhost/", ["aud"] = "http://localhost/", ["sub"] = machineTokenId, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 600,
            ["jti"] = Guid.NewGuid().ToString(), ["secr_identity_type"] = "machine_token", ["secr_identity_name"] = "mia-ci", ["secr_project"] = "payments", ["secr_environment"] = "prod", ["secr_permission"] = "read_write",
        };
        return JwtBuilder.Create(UnknownKey).Header("kid", kid).Header("typ", "at+jwt").Claims(claims).Build();
    }

    public async ValueTask DisposeAsync()
    {
        UnknownKey.Dispose();
        await Scenario.DisposeAsync();
    }
}
