using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Secr.Federation.Core.Identities.Credentials;

/// <summary>
/// The shape of secr's long-lived credentials: <c>secr_mt_{env}_{random}{checksum}</c>, <c>secr_agent_{random}{checksum}</c>
/// and admins' personal tokens <c>secr_pat_{random}{checksum}</c>. The random part is 256 bits in base62 (43 characters);
/// the checksum is the CRC-32 of everything before it, in 6 base62 characters, so a secret scanner can tell a real token
/// from a typo offline. Only a SHA-256 digest is ever stored.
/// </summary>
public static class CredentialFormat
{
    public const string MachinePrefix = "secr_mt_";
    public const string AgentPrefix = "secr_agent_";
    public const string PersonalPrefix = "secr_pat_";

    private const int RandomLength = 43;
    private const int ChecksumLength = 6;
    private const int MaxLength = 128;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewMachineToken(string environment) => Create(PrefixOf(environment));

    /// <summary>How every machine token of <paramref name="environment"/> starts: <c>secr_mt_ci_</c>.</summary>
    public static string PrefixOf(string environment) => $"{MachinePrefix}{environment}_";

    public static string NewAgentToken() => Create(AgentPrefix);

    public static string NewPersonalToken() => Create(PersonalPrefix);

    /// <summary>True when <paramref name="value"/> has a known prefix, the right length and a matching checksum.</summary>
    public static bool IsWellFormed(string? value, string prefix)
    {
        if (value is null || value.Length > MaxLength || !value.StartsWith(prefix, StringComparison.Ordinal) ||
            value.Length < prefix.Length + RandomLength + ChecksumLength)
        {
            return false;
        }

        var body = value[..^ChecksumLength];
        var infix = body[prefix.Length..^RandomLength];
        var infixFits = prefix == MachinePrefix ? IsEnvironmentSegment(infix) : infix.Length == 0;
        return infixFits && body[^RandomLength..].All(Alphabet.Contains) && string.Equals(Checksum(body), value[^ChecksumLength..], StringComparison.Ordinal);
    }

    /// <summary>A machine token's <c>{env}_</c>: 1 to 16 lower-case letters, digits or '-', then the separator.</summary>
    private static bool IsEnvironmentSegment(string infix) =>
        infix.Length is >= 2 and <= 17 && infix[^1] == '_' && infix[..^1].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>The environment hint of a well-formed machine token (<c>secr_mt_prod_…</c> → <c>prod</c>).</summary>
    public static string? EnvironmentHint(string value) =>
        IsWellFormed(value, MachinePrefix) ? value[MachinePrefix.Length..^(RandomLength + ChecksumLength + 1)] : null;

    /// <summary>The only form a credential is stored in. The value has 256 bits of entropy, so a fast hash is enough.</summary>
    public static string Digest(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Create(string prefix)
    {
        Span<byte> random = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(random);
        var body = new StringBuilder(prefix, prefix.Length + RandomLength + ChecksumLength);
        foreach (var b in random)
        {
            // 62 * 4 = 248: bytes of 248 and above are redrawn so every character is equally likely.
            var value = b;
            while (value >= 248)
            {
                value = (byte)RandomNumberGenerator.GetInt32(256);
            }

            body.Append(Alphabet[value % 62]);
        }

        var text = body.ToString();
        return text + Checksum(text);
    }

    private static string Checksum(string body)
    {
        var crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(body));
        var chars = new char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(crc % 62)];
            crc /= 62;
        }

        return new string(chars);
    }
}
