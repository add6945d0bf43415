using Secr.Federation.Data.Audit;

namespace Secr.Federation.Application.Leaks;

/// <summary>A credential of this server whose value a scanner reported: whose it is, as the audit and the admin see it.</summary>
public sealed record LeakedCredential(string Type, string Id, string Name);

/// <summary>What containment did, in a word or two (<c>disabled</c>, <c>killed</c>, <c>already revoked</c>), and whether it changed anything.</summary>
public sealed record Containment(string Done, bool Changed);

/// <summary>
/// One kind of secr credential as leak containment sees it (machine tokens, agents, personal admin tokens): its prefix,
/// how a value is found by digest, and how it is contained through that kind's own store and audit record.
/// </summary>
public interface ILeakableCredentials
{
    /// <summary>The prefix its values start with (<c>Identities/Credentials/CredentialFormat</c>).</summary>
    string Prefix { get; }

    /// <summary>The credential whose value has <paramref name="digest"/>, retired or not; null when this server never issued it or it was deleted.</summary>
    Task<LeakedCredential?> FindAsync(string digest, CancellationToken cancellationToken);

    /// <summary>
    /// Disables or (<paramref name="retire"/>) retires it inside <paramref name="change"/>, recording
    /// <see cref="LeakContainment.ContainedCode"/> with <paramref name="report"/>; returns what was done, or null when it
    /// is gone.
    /// </summary>
    Task<Containment?> ContainAsync(AuditedChange change, LeakedCredential credential, bool retire, AdminActor actor, string report, CancellationToken cancellationToken);
}
