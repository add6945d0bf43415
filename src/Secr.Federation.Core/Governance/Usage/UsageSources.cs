using System.Net;
using System.Net.Sockets;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Core.Governance.Usage;

/// <summary>
/// The sources one audited request shows behind an identity, each a kind and a value that identifies it: its client
/// network, and for a federated token the repository and the workflow it came from. Counting the distinct values of a
/// kind over a window is what tells one pipeline's identity from one shared by many (<see cref="UsageSignals"/>).
/// </summary>
public static class UsageSources
{
    /// <summary>The client's network: IPv4 /24, IPv6 /48, the usual allocation to one site, so a runner pool's neighbouring addresses count once.</summary>
    public const string Network = "network";

    /// <summary>The repository (GitHub <c>repo:</c>, GitLab <c>project_path:</c>) the subject of a federated token names.</summary>
    public const string Repository = "repository";

    /// <summary>The workflow file a GitHub job ran (its <c>job_workflow_ref</c> without the <c>@ref</c>: one pipeline, whichever branch).</summary>
    public const string Workflow = "workflow";

    /// <summary>A request with a browser's user agent (<see cref="BrowserUserAgent"/>); the value is its client network.</summary>
    public const string Browser = "browser";

    /// <summary>A request from an address a person used for the admin API or the console; the value is that address.</summary>
    public const string PersonAddress = "person_address";

    /// <summary>The longest value kept (a workflow path is bounded by the lineage's 256 characters).</summary>
    public const int MaxValueLength = 256;

    private const int Ipv4Prefix = 24, Ipv6Prefix = 48;

    /// <summary>The subject keys that name a repository: GitHub's default and custom subjects, GitLab's.</summary>
    private static readonly string[] RepositoryKeys = ["repo", "repository", "repository_id", "project_path", "project_id"];

    /// <summary>The network of <paramref name="clientIp"/> as text ("203.0.113.0/24"); null when there is no address.</summary>
    public static string? NetworkOf(string? clientIp) =>
        Address(clientIp) is { } address ? Cidr.Enclosing(address, address.AddressFamily == AddressFamily.InterNetwork ? Ipv4Prefix : Ipv6Prefix).ToString() : null;

    /// <summary>The address as one form (an IPv4-mapped IPv6 address as IPv4), so a person's and a workload's compare; null when none or unreadable.</summary>
    public static IPAddress? Address(string? clientIp) =>
        IPAddress.TryParse(clientIp, out var address) ? address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address : null;

    /// <summary>
    /// The repository a subject names, reading it as the <c>key:value:key:value</c> pairs GitHub and GitLab write
    /// (a colon inside a value is escaped); null for a subject that names none (a Kubernetes service account, a cloud role).
    /// </summary>
    public static string? RepositoryOf(string? subject)
    {
        if (subject is null)
        {
            return null;
        }

        var parts = subject.Split(':');
        for (var i = 0; i + 1 < parts.Length; i += 2)
        {
            if (RepositoryKeys.Contains(parts[i], StringComparer.Ordinal) && Keepable(parts[i + 1]))
            {
                return Canonical(parts[i + 1]);
            }
        }

        return null;
    }

    /// <summary>The workflow a GitHub job ran, from its lineage's <c>job_workflow_ref</c>; null when there is none.</summary>
    public static string? WorkflowOf(IReadOnlyDictionary<string, string>? lineage) =>
        lineage is not null && lineage.TryGetValue("job_workflow_ref", out var reference) && reference.Split('@')[0] is { } workflow && Keepable(workflow) ? Canonical(workflow) : null;

    private static bool Keepable(string value) => value.Length is > 0 and <= MaxValueLength;

    /// <summary>Repository and workflow names are case-insensitive on the platforms: one repository is one source, however a token spells it.</summary>
    private static string Canonical(string value) => value.ToLowerInvariant();
}
