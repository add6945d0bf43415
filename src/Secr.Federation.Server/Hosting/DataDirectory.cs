using Secr.Federation.Core.Identities.Credentials;
using System.Security.Cryptography;

namespace Secr.Federation.Server.Hosting;

/// <summary>The data directory: created on first start with owner-only permissions, holding key material in 0600 files.</summary>
public sealed class DataDirectory
{
    private const string MasterKeyFile = "master.key";
    private const string AdminTokenFile = "admin-token";

    public DataDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(Path))
        {
            Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Path { get; }

    public string DatabasePath => System.IO.Path.Combine(Path, "secr.db");

    public byte[] LoadOrCreateMasterKey() =>
        Convert.FromBase64String(LoadOrCreate(MasterKeyFile, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), out _));

    /// <summary>The generated bootstrap admin token, and whether it was created just now (so it is printed once).</summary>
    public (string Token, bool Created) LoadOrCreateAdminToken()
    {
        var token = LoadOrCreate(AdminTokenFile, CredentialFormat.NewPersonalToken, out var created);
        return (token, created);
    }

    /// <summary>Writes a recovery admin token to a fresh 0600 file (replacing an earlier one); returns its path.</summary>
    public string WriteRecoveryAdminToken(string token)
    {
        var file = System.IO.Path.Combine(Path, RecoveryAdminTokenFile);
        File.Delete(file);
        WriteOwnerOnly(file, token);
        return file;
    }

    private const string RecoveryAdminTokenFile = "recovery-admin-token";

    private string LoadOrCreate(string name, Func<string> create, out bool created)
    {
        var file = System.IO.Path.Combine(Path, name);
        created = false;
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        var value = create();
        WriteOwnerOnly(file, value);
        created = true;
        return value;
    }

    /// <summary>Creates <paramref name="file"/> readable and writable by its owner only, from the first byte.</summary>
    private static void WriteOwnerOnly(string file, string value)
    {
        using var stream = new FileStream(file, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(value);
    }
}
