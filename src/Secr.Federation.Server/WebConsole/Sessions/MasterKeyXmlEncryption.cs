using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Secr.Federation.Data.Keys;

namespace Secr.Federation.Server.WebConsole.Sessions;

/// <summary>
/// Seals each Data Protection key under the master key (AES-256-GCM) before it reaches the database: someone who can
/// read the database, but not the master key, cannot forge a console session.
/// </summary>
public sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    internal const string Purpose = "secr-console-session-key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedKey = masterKey.Encrypt(Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)), Purpose);
        return new EncryptedXmlInfo(new XElement("sealedKey", new XAttribute("by", "secr master key, AES-256-GCM"), Convert.ToBase64String(sealedKey)),
            typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="MasterKeyXmlEncryptor"/> sealed; the framework creates it by type, with the services.</summary>
public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var masterKey = services.GetRequiredService<MasterKey>();
        return XElement.Parse(Encoding.UTF8.GetString(masterKey.Decrypt(Convert.FromBase64String(encryptedElement.Value), MasterKeyXmlEncryptor.Purpose)));
    }
}
