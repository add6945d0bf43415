namespace Secr.Federation.Server.Tests.Harness;

/// <summary>Everything an admin can read back, and the count of admin changes audited: equal before and after a refused request.</summary>
public static class AdminState
{
    public static async Task<string> SnapshotAsync(SecrServer server)
    {
        var parts = new List<string>();
        foreach (var path in new[] { "tokens", "agents", "bindings", "issuers", "projects", "policies", "projects/payments/environments/prod/secrets" })
        {
            parts.Add(await server.Admin().GetStringAsync($"/api/v1/{path}"));
        }

        var admin = (await server.AuditAsync("?limit=500")).Count(r => (string?)r!["action"] == "admin");
        return string.Join("\n", parts) + $"\nadmin changes: {admin}";
    }
}
