using System.Security.Cryptography;
using System.Text;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
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
            Id = Seed.BindingId, Type = IdentityType.OidcBinding, Name = "deploy", Binding = "deploy", Project = "payments", Environment = "prod",
            Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(15),
        };
        var record = new AuditRecord
        {
            Timestamp = now, Outcome = AuditOutcome.Allowed, ReasonCode = "allowed", Reason = "issued read for 900 s", Action = TokenExchange,
            Project = "payments", Environment = "prod", SourceIssuer = GitHubIssuer, SourceSubject = "repo:octo-org/octo-repo:environment:prod",
            ClientIp = "127.0.0.1", RequestId = RequestId(n), Permission = "read", TokenId = Guid.CreateVersion7().ToString("N"), TokenExpiresAt = now.AddSeconds(900),
        }.ActedBy(identity);

        // The subject token's replay claim as the server makes it: SHA-256 of (issuer, jti) in hex, ordered by the token's expiry.
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(GitHubIssuer + "\njti:" + Guid.NewGuid())));
        return (record, withReplayKey ? ReplayClaim.ForToken(digest, now.AddMinutes(5), now.AddMinutes(10)) : null);
    }

    public static (AuditRecord Record, ReplayClaim? Replay) SecretRead(int n)
    {
        var identity = new ResolvedIdentity
        {
            Id = Seed.MachineTokenId, Type = IdentityType.MachineToken, Name = "bench", Project = "payments", Environment = "prod",
            Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(15),
        };
        var record = new AuditRecord
        {
            Timestamp = DateTimeOffset.UtcNow, Outcome = AuditOutcome.Allowed, ReasonCode = "allowed", Reason = $"{SecretScope.ReadAllAction} by {identity.Type} '{identity.Name}'",
            Action = SecretScope.ReadAllAction, Project = "payments", Environment = "prod", Keys = TwentyKeys, ClientIp = "127.0.0.1", RequestId = RequestId(n),
            TokenId = Guid.CreateVersion7().ToString("N"), Permission = "read",
        }.ActedBy(identity);
        return (record, null);
    }

    /// <summary>Kestrel's TraceIdentifier: connection id and request number.</summary>
    private static string RequestId(int n) => $"0HNHB2K4Q{n % 64:D3}AB:{n / 64 + 1:X8}";
}
