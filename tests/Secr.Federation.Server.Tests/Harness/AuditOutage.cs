using Microsoft.EntityFrameworkCore;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>Makes every insert into the audit table fail, as a full or broken audit store would, until disposed.</summary>
public static class AuditOutage
{
    public static async Task<IAsyncDisposable> StartAsync(SecrServer server)
    {
        await using (var db = server.OpenDatabase())
        {
            await db.Database.ExecuteSqlRawAsync(TestDatabase.OnPostgres
                ? """
                  CREATE FUNCTION audit_down() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit store down'; END $$ LANGUAGE plpgsql;
                  CREATE TRIGGER audit_down BEFORE INSERT ON "AuditRecords" FOR EACH ROW EXECUTE FUNCTION audit_down();
                  """
                : """CREATE TRIGGER audit_down BEFORE INSERT ON "AuditRecords" BEGIN SELECT RAISE(ABORT, 'audit store down'); END;""");
        }

        return new Restore(server);
    }

    private sealed class Restore(SecrServer server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var db = server.OpenDatabase();
            await db.Database.ExecuteSqlRawAsync(TestDatabase.OnPostgres
                ? """DROP TRIGGER audit_down ON "AuditRecords"; DROP FUNCTION audit_down();"""
                : "DROP TRIGGER audit_down;");
        }
    }
}
