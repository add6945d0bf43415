namespace Secr.Federation.Core.Identities;

/// <summary>What an identity may do with the secrets of its scope. There is deliberately no "admin" or implicit full access.</summary>
public enum Permission
{
    Read,
    ReadWrite,
}

public static class PermissionText
{
    public const string Read = "read";
    public const string ReadWrite = "read_write";

    public static string ToText(this Permission permission) => permission == Permission.ReadWrite ? ReadWrite : Read;

    public static bool TryParse(string? text, out Permission permission)
    {
        (var ok, permission) = text switch
        {
            Read => (true, Permission.Read),
            ReadWrite => (true, Permission.ReadWrite),
            _ => (false, Permission.Read),
        };
        return ok;
    }

    /// <summary>True when <paramref name="requested"/> asks for no more than <paramref name="ceiling"/>.</summary>
    public static bool IsWithin(this Permission requested, Permission ceiling) => requested <= ceiling;
}
