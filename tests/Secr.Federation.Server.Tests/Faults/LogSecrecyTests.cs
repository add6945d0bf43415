using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Server.Tests.Federation;
using Secr.Federation.Server.Tests.Fixtures;
using Secr.Federation.Server.Tests.Harness;
using Secr.Federation.Server.Tests.Secrets;

namespace Secr.Federation.Server.Tests.Faults;

/// <summary>
/// "Secrets, token values and subject tokens never appear in logs or audit records": one full run on one server with
/// every log category at Trace, then every sensitive value is looked for in all it logged (as text, and as the JSON
/// console lines with their scopes and structured state) and in the whole audit export.
/// </summary>
public sealed class LogSecrecyTests
{
    /// <summary>A secr credential's random part and checksum: what must not leak even without its prefix.</summary>
    private const int CredentialTail = 43 + 6;

    [Fact]
    public async Task No_secret_token_or_key_reaches_the_logs_the_audit_export_or_the_alert_of_a_full_run()
    {
        using var webhook = FakeWebhook.Start();
        using var issuer = FakeIssuer.Start();
        using var githubKey = SigningKey.Rsa("key-1");
        issuer.AddKey(githubKey);

        // appsettings.json pins Microsoft.AspNetCore, Microsoft.EntityFrameworkCore and OpenIddict at Warning, and a
        // category rule beats Default: each is lifted explicitly, or their Debug and Trace output would never be seen.
        await using var server = new SecrServer(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            ["Logging:LogLevel:OpenIddict"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
            ["Secr:Alerts:WebhookUrl"] = webhook.Url,
            ["Secr:Logging:Format"] = "json",
        }, services: FormattedLogs.Register);
        var needles = new Needles();
        needles.Add("the admin token", SecrServer.AdminToken);
        needles.Add("the alert webhook's URL (many services make it the credential)", webhook.Url);

        await server.AddProjectAsync();
        await server.AddIssuerAsync("github", issuer.Issuer, "github");
        await server.AddBindingAsync("deploy", "github", PlatformScenario.PinningConditions(Platform.GitHub));

        // Secrets, a second version of one, and a canary, all set by the admin.
        foreach (var (key, value, canary) in new[]
        {
            ("DB_URL", $"postgres://app:pw-{Guid.NewGuid():N}@db/prod", false),
            ("DB_URL", $"postgres://app:pw2-{Guid.NewGuid():N}@db/prod", false),
            ("API_KEY", $"ak_live_{Guid.NewGuid():N}", false),
            ("HONEYPOT", $"AKIA{Guid.NewGuid():N}", true),
        })
        {
            needles.Add($"the secret {key}", value);
            var response = await server.Admin().PutAsJsonAsync($"/api/v1/projects/payments/environments/prod/secrets/{key}", new { value, canary }, SecrServer.Json);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        // Long-lived credentials: a reader and a writer machine token, and an agent.
        var created = await server.PostAdminAsync("/api/v1/tokens", new { name = "deploy-bot", environment = "prod", project = "payments", permission = "read" });
        var machineId = (string)created["details"]!["id"]!;
        var machine = needles.Credential("the machine token", (string)created["token"]!);
        var writer = needles.Credential("the writer token", (string)(await server.PostAdminAsync("/api/v1/tokens", new { name = "writer", environment = "prod", project = "payments", permission = "read_write" }))["token"]!);
        var agent = needles.Credential("the agent token", (string)(await server.PostAdminAsync("/api/v1/agents", new { name = "copilot", project = "payments", environment = "prod", expires = "1d", allow = new[] { "DB_URL", "API_KEY" } }))["token"]!);

        // A GitHub-shaped subject token exchanged once, then replayed, then with a tampered signature: refused twice.
        var subject = needles.Jwt("the subject token", JwtBuilder.Create(githubKey).Claims(WorkloadClaims.GitHub(issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow)).Build());
        var exchanged = await server.ExchangeAsync(subject);
        Assert.Equal(200, exchanged.Status);
        var oidcAccess = needles.Jwt("the exchanged access token", exchanged.AccessToken);
        Assert.Contains("subject_token.replayed", (await server.ExchangeAsync(subject)).Description);
        var tampered = needles.Jwt("a tampered subject token", Tamper(JwtBuilder.Create(githubKey).Claims(WorkloadClaims.GitHub(issuer.Issuer, SecrServer.Audience, DateTimeOffset.UtcNow)).Build()));
        Assert.Contains("subject_token.signature", (await server.ExchangeAsync(tampered)).Description);

        // Reads with the exchanged access token, the raw machine token, its access token, the raw agent token and its access token.
        Assert.Equal(200, (await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL", oidcAccess)).Status);
        Assert.Equal(200, (await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/API_KEY", machine)).Status);
        var machineAccess = needles.Jwt("the machine's access token", (await server.GrantAsync(SecrServer.MachineTokenGrant, machine)).AccessToken);
        Assert.Equal(200, (await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL", machineAccess)).Status);
        Assert.Equal(200, (await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/DB_URL", agent)).Status);
        var agentAccess = needles.Jwt("the agent's access token", (await server.GrantAsync(SecrServer.AgentTokenGrant, agent)).AccessToken);
        Assert.Equal(200, (await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/API_KEY", agentAccess)).Status);

        // A workload writes a secret.
        var written = needles.Add("the secret the writer wrote", $"whsec_{Guid.NewGuid():N}");
        Assert.Equal(200, (await CallAsync(server, HttpMethod.Put, "/v1/secrets/payments/prod/WEBHOOK_SECRET", writer, new { value = written })).Status);

        // The machine token is rolled: the old value is refused at both doors, the new one works.
        var rolled = needles.Credential("the rolled machine token", (string)(await server.SendAdminAsync(HttpMethod.Post, $"/api/v1/tokens/{machineId}/roll")).Body!["token"]!);
        Assert.Equal("credential.revoked", (await server.GrantAsync(SecrServer.MachineTokenGrant, machine)).ErrorCode);
        Assert.Equal(403, (await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/API_KEY", machine)).Status);
        Assert.Equal(200, (await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/API_KEY", rolled)).Status);

        // Wrong credentials: a typo in a real token, a forged access token, a wrong admin token.
        var typo = needles.Add("a mistyped machine token", rolled[..^1] + (rolled[^1] == 'a' ? 'b' : 'a'));
        Assert.Equal("credential.malformed", (await server.GrantAsync(SecrServer.MachineTokenGrant, typo)).ErrorCode);
        Assert.Equal("credential.malformed", (string?)(await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod", typo)).Body!["code"]);
        var forged = needles.Jwt("a forged access token", Tamper(oidcAccess));
        Assert.Equal(401, (await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod", forged)).Status);
        var wrongAdmin = needles.Add("a wrong admin token", SecrServer.AdminToken[..^4] + "beef");
        Assert.Equal(401, (await CallAsync(server, HttpMethod.Get, "/api/v1/tokens", wrongAdmin)).Status);

        // The canary trips last: it freezes the project, and raises a Critical log line and a webhook alert.
        Assert.Equal("canary.tripped", (string?)(await CallAsync(server, HttpMethod.Get, "/v1/secrets/payments/prod/HONEYPOT", rolled)).Body!["code"]);

        // The master key was generated into the data directory on first start.
        var masterKey = (await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "master.key"))).Trim();
        needles.Add("the master key", masterKey);
        needles.Add("the master key in hex", Convert.ToHexString(Convert.FromBase64String(masterKey)));

        var lines = server.Logs.Lines.ToList();
        var jsonLines = FormattedLogs.Of(server).Lines.ToList();
        using var exportResponse = await server.Admin().GetAsync("/api/v1/audit/export");
        var export = await exportResponse.Content.ReadAsStringAsync();

        // The haystacks are full: Trace-level output of the token endpoint, OpenIddict and EF Core; the whole run in the audit.
        static bool Verbose(string line) => line.StartsWith("Debug ", StringComparison.Ordinal) || line.StartsWith("Trace ", StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Trace ", StringComparison.Ordinal));
        Assert.Contains(lines, l => Verbose(l) && l.Contains(" OpenIddict.", StringComparison.Ordinal));
        Assert.Contains(lines, l => Verbose(l) && l.Contains(" Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.Contains(lines, l => Verbose(l) && l.Contains(" Microsoft.EntityFrameworkCore.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/connect/token", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("HONEYPOT", StringComparison.Ordinal));
        Assert.Contains(jsonLines, l => l.Contains("\"LogLevel\":\"Trace\"", StringComparison.Ordinal));
        Assert.Contains(jsonLines, l => l.Contains("\"RequestPath\":\"/v1/secrets/payments/prod/HONEYPOT\"", StringComparison.Ordinal));
        Assert.True(exportResponse.IsSuccessStatusCode, export);
        var records = export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Contains(records, r => (string?)r["reason_code"] == "subject_token.replayed");
        Assert.Contains(records, r => (string?)r["reason_code"] == "canary.tripped");
        Assert.Contains(records, r => (string?)r["reason_code"] == "credential.malformed");
        Assert.Single(webhook.Bodies);

        var leaks = needles.FoundIn(("the logs", lines), ("the JSON logs with their scopes", jsonLines), ("the audit export", export.Split('\n')), ("the canary alert", webhook.Bodies));
        Assert.True(leaks.Count == 0, "leaked:\n" + string.Join("\n", leaks));
    }

    [Fact]
    public async Task An_access_token_does_not_reach_the_logs_even_with_OpenIddict_at_Trace()
    {
        await using var server = new SecrServer(settings: new Dictionary<string, string?> { ["Logging:LogLevel:OpenIddict"] = "Trace" });
        await server.AddProjectAsync();
        var machine = (string)(await server.PostAdminAsync("/api/v1/tokens", new { name = "deploy-bot", environment = "prod", project = "payments", permission = "read" }))["token"]!;

        var accessToken = (await server.GrantAsync(SecrServer.MachineTokenGrant, machine)).AccessToken;

        // OpenIddict is verbose (its dispatcher stops at Debug, where it names events but not token contents)...
        Assert.Contains(server.Logs.Lines, l => l.StartsWith("Debug OpenIddict.Server.OpenIddictServerDispatcher", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(accessToken[(accessToken.LastIndexOf('.') + 1)..], StringComparison.Ordinal));
    }

    /// <summary>Flips a character of the signature, keeping the token well-formed.</summary>
    private static string Tamper(string jwt) => jwt[..^2] + (jwt[^2] == 'A' ? 'B' : 'A') + jwt[^1];

    private static async Task<(int Status, JsonNode? Body)> CallAsync(SecrServer server, HttpMethod method, string path, string bearer, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: SecrServer.Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await server.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Every value that must not leak, with the parts of it that must not leak on their own.</summary>
    private sealed class Needles
    {
        private readonly List<(string What, string Value)> _all = [];

        public string Add(string what, string value)
        {
            Assert.True(value.Length >= 16, $"{what} is too short to search for without false alarms");
            _all.Add((what, value));
            return value;
        }

        /// <summary>A secr credential, and its random part with checksum, which identify it without the prefix.</summary>
        public string Credential(string what, string value)
        {
            Add(what, value);
            Add($"{what} without its prefix", value[^CredentialTail..]);
            return value;
        }

        /// <summary>A JWT, and its signature segment, which is what makes a logged header and payload a usable token.</summary>
        public string Jwt(string what, string value)
        {
            Add(what, value);
            Add($"{what}'s signature", value[(value.LastIndexOf('.') + 1)..]);
            return value;
        }

        /// <summary>Each leak as "what in where", quoting the start of the first offending line with the value masked.</summary>
        public List<string> FoundIn(params (string Name, IReadOnlyList<string> Lines)[] haystacks) =>
        [
            .. from needle in _all
               from haystack in haystacks
               let line = haystack.Lines.FirstOrDefault(l => l.Contains(needle.Value, StringComparison.Ordinal))
               where line is not null
               let masked = line.Replace(needle.Value, "<" + needle.What + ">", StringComparison.Ordinal)
               select $"{needle.What} in {haystack.Name}: \"{masked[..Math.Min(masked.Length, 240)]}\"",
        ];
    }
}
