using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Policy;

namespace Secr.Federation.Data.Identities;

/// <summary>What an admin asks for when creating a machine token; validated by <c>MachineTokenAdministration</c>. No allowlist: every key of its scope.</summary>
/// <param name="DisplayName">What people are shown beside the slug <paramref name="Name"/>; null for none.</param>
public sealed record MachineTokenDraft(
    string Name, string Environment, string? Project, Permission Permission, string? OwnerEmail, TimeSpan? ExpiresIn, ConditionalAccess Access, IReadOnlyList<string>? SecretAllowlist = null,
    string? DisplayName = null);

/// <summary>What an admin asks for when creating an agent identity; the expiry is mandatory.</summary>
/// <param name="AllowAllSecrets">The admin acknowledges that the agent may read every secret of its scope (its allowlist is then <c>*</c>).</param>
public sealed record AgentDraft(
    string Name, string Project, string Environment, string? OwnerEmail, TimeSpan? ExpiresIn, IReadOnlyList<string>? SecretAllowlist, ConditionalAccess Access,
    bool AllowAllSecrets = false, string? DisplayName = null);

/// <summary>A created credential: the record, and its value, shown this once.</summary>
public sealed record Issued<T>(T Identity, string Value);
