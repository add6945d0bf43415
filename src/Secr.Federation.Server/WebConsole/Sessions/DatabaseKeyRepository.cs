using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Data;
using Secr.Federation.Data.Keys;

namespace Secr.Federation.Server.WebConsole.Sessions;

/// <summary>The Data Protection key ring in the shared database, so every node can read every node's sessions.</summary>
public sealed class DatabaseKeyRepository(IDbContextFactory<SecrDbContext> contexts) : IXmlRepository
{
    // The framework's interface is synchronous; it reads the ring at start and when a key is missing or due, not per request.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = contexts.CreateDbContext();
        return db.SessionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = contexts.CreateDbContext();
        db.SessionKeys.Add(new SessionKeyEntity { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
