using System.Text.Json;
using Secr.Federation.Core.Federation.Issuers;

namespace Secr.Federation.Core.Federation.SubjectTokens;

/// <summary>A subject token whose signature, issuer, audience and times all checked out. Identity = (issuer, subject).</summary>
/// <param name="ReplayKey">Null when the issuer's tokens may be reused (Kubernetes); otherwise a digest of (issuer, jti or the hash of the signed header and payload).</param>
public sealed record ValidatedSubjectToken(TrustedIssuer Issuer, string Subject, JsonElement Claims, DateTimeOffset ExpiresAt, string? ReplayKey);
