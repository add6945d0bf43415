using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Admission;

/// <summary>The identity a credential maps to, and the most it may be granted.</summary>
public sealed record ResolvedIdentity
{
    /// <summary>The project of an identity scoped to the whole organisation.</summary>
    public const string AllProjects = "*";

    public required string Id { get; init; }
    public required string Type { get; init; }

    /// <summary>Its kind's lifecycle: how a use is refused while it is disabled, retired or expired.</summary>
    public required IdentityLifecycle Lifecycle { get; init; }
    public required string Name { get; init; }
    public required string Project { get; init; }
    public required string Environment { get; init; }
    public required Permission Permission { get; init; }
    public required TimeSpan MaxLifetime { get; init; }

    /// <summary>The stored lifecycle status; the policy derives expiry from <see cref="ExpiresAt"/>.</summary>
    public IdentityStatus Status { get; init; } = IdentityStatus.Active;

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the credential value was issued (created or last rolled); null for tokenless identities (bindings).</summary>
    public DateTimeOffset? CredentialIssuedAt { get; init; }
    public ConditionalAccess Access { get; init; } = ConditionalAccess.None;
    public IReadOnlyList<string>? SecretAllowlist { get; init; }
    public string? Binding { get; init; }
}

/// <summary>What is issued: never more than the identity allows.</summary>
public sealed record Grant
{
    public required string TokenId { get; init; }
    public required ResolvedIdentity Identity { get; init; }
    public required Permission Permission { get; init; }
    public required TimeSpan Lifetime { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required string SourceIssuer { get; init; }
    public required string SourceSubject { get; init; }

    /// <summary>The job the credential came from (<see cref="AuthenticatedCredential.Lineage"/>), carried in the access token.</summary>
    public JobLineage? Lineage { get; init; }
}
