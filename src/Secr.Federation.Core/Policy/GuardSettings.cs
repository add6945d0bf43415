using System.Net;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Policy;

/// <summary>
/// A Vault-style IP allowlist on the organisation or a project. Enabled and empty refuses every workload request;
/// it never applies to humans administering the server, so admins cannot lock themselves out.
/// </summary>
public sealed record NetworkGate(bool Enabled, IReadOnlyList<Cidr> Networks)
{
    public static readonly NetworkGate Open = new(false, []);

    public bool Admits(IPAddress? ip) => !Enabled || (ip is not null && Networks.Any(n => n.Contains(ip)));
}

/// <summary>The organisation's guards as of now: allowlists and frozen projects.</summary>
public sealed record GuardSettings(NetworkGate Organisation, IReadOnlyDictionary<string, NetworkGate> Projects, IReadOnlySet<string> FrozenProjects)
{
    public static readonly GuardSettings None = new(NetworkGate.Open, new Dictionary<string, NetworkGate>(), new HashSet<string>());
}

/// <summary>Supplies the current guard settings; implementations may cache them for at most one second.</summary>
public interface IGuardSettingsProvider
{
    ValueTask<GuardSettings> GetAsync(CancellationToken cancellationToken);
}
