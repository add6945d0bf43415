using System.Security.Cryptography;
using System.Text;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Core.Secrets;

namespace Secr.Federation.AuditAlone;

/// <summary>
/// The records the server commits, field for field: an admitted token exchange (AdmissionPipeline, through the
/// binding, with the subject token's replay key) and a 20-key secret read (WorkloadSecrets, machine token, no replay key).
/// </summary>
internal static class Records
{
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";
    private const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static readonly string TwentyKeys = string.Join(",", Enumerable.Range(0, 20).Select(i => $"KEY_{i:D2}"));

    public static (AuditRecord Record, ReplayClaim? Replay) Exchange(int n, bool withReplayKey)
    {
        var now = DateTimeOffset.UtcNow;
        var identity = new ResolvedIdentity
        {
            Id = Seed.BindingId, Type = IdentityType.OidcBinding, Lifecycle = OidcBindingKind.LifecycleRules, Name = "deploy", Binding = "deploy", Project = "payments", Environment = "prod",
            Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(15),
        };
        // As the admission pipeline writes it (AuditRecord.Of, then what the stages learned).
        var record = AuditRecord.Of(now, TokenExchange, Client(n), AuditOutcome.Allowed, "allowed", "issued read for 900 s", identity) with
        {
            Project = "payments", Environment = "prod", SourceIssuer = GitHubIssuer, SourceSubject = "repo:octo-org/octo-repo:environment:prod",
            Permission = "read", TokenId = Guid.CreateVersion7().ToString("N"), TokenExpiresAt = now.AddSeconds(900),
        };

        // The subject token's replay claim as the server makes it: SHA-256 of (issuer, jti) in hex, ordered by the token's expiry.
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(GitHubIssuer + "\njti:" + Guid.NewGuid())));
        return (record, withReplayKey ? ReplayClaim.ForToken(digest, now.AddMinutes(5), now.AddMinutes(10)) : null);
    }

    public static (AuditRecord Record, ReplayClaim? Replay) SecretRead(int n)
    {
        var identity = new ResolvedIdentity
        {
            Id = Seed.MachineTokenId, Type = IdentityType.MachineToken, Lifecycle = MachineTokenKind.LifecycleRules, Name = "bench", Project = "payments", Environment = "prod",
            Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(15),
        };
        var reason = $"{SecretScope.ReadAllAction} by {identity.Type} '{identity.Name}'";
        var record = AuditRecord.Of(DateTimeOffset.UtcNow, SecretScope.ReadAllAction, Client(n), AuditOutcome.Allowed, "allowed", reason, identity) with
        {
            Project = "payments", Environment = "prod", Keys = TwentyKeys, TokenId = Guid.CreateVersion7().ToString("N"), Permission = "read",
        };
        return (record, null);
    }

    private static AdmissionClient Client(int n) => new(System.Net.IPAddress.Loopback, null, RequestId(n));

    /// <summary>Kestrel's TraceIdentifier: connection id and request number.</summary>
    private static string RequestId(int n) => $"0HNHB2K4Q{n % 64:D3}AB:{n / 64 + 1:X8}";
}
