using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Secr.Federation.Data.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without starting the server.</summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<SecrDbContext>
{
    public SecrDbContext CreateDbContext(string[] args) =>
        new(SqliteStorage.Use(new DbContextOptionsBuilder<SecrDbContext>(), "design-time.db").UseOpenIddict().Options);
}
