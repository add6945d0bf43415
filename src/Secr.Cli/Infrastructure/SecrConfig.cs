using System.Text.Json;
using Secr.Federation.Core.Identities.Credentials;

namespace Secr.Cli.Infrastructure;

/// <summary>The server and credential <c>secr login</c> stores (0600); <c>SECR_SERVER</c> and <c>SECR_TOKEN</c> win over it.</summary>
public sealed record SecrConfig(string? Server, string? Token)
{
    public static SecrConfig Load(CliContext context)
    {
        var stored = File.Exists(context.ConfigPath) ? JsonSerializer.Deserialize<SecrConfig>(File.ReadAllText(context.ConfigPath)) : null;
        return new SecrConfig(context.Environment("SECR_SERVER") ?? stored?.Server, context.Environment("SECR_TOKEN") ?? stored?.Token);
    }

    /// <summary>Machine and agent tokens by their prefix, access tokens as JWTs; anything else is a person's credential.</summary>
    public static bool IsWorkloadCredential(string? token) =>
        token is not null && (token.StartsWith("secr_mt_", StringComparison.Ordinal) || IsAgentToken(token) || token.Count(c => c == '.') == 2);

    /// <summary>An agent's own token (<c>secr_agent_…</c>), which the CLI trades for an access token bound to its session key.</summary>
    public static bool IsAgentToken(string? token) => token is not null && token.StartsWith(CredentialFormat.AgentPrefix, StringComparison.Ordinal);

    public void Save(CliContext context)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(context.ConfigPath)!);
        using var stream = new FileStream(context.ConfigPath, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        JsonSerializer.Serialize(stream, this);
        File.SetUnixFileMode(context.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
