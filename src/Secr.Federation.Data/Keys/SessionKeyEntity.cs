namespace Secr.Federation.Data.Keys;

/// <summary>
/// One key of the ASP.NET Data Protection key ring that protects console sessions and their CSRF tokens, as the
/// framework writes it (XML), with the key material encrypted under the master key. In the database so that every
/// node reads the same ring: a session started on one node is valid on all of them.
/// </summary>
public sealed class SessionKeyEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Xml { get; set; }
}
