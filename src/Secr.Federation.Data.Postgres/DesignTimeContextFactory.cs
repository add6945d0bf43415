using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Secr.Federation.Data.Postgres;

/// <summary>Lets <c>dotnet ef migrations add --project src/Secr.Federation.Data.Postgres</c> build the PostgreSQL model offline.</summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<SecrDbContext>
{
    public SecrDbContext CreateDbContext(string[] args) =>
        new(PostgresStorage.Use(new DbContextOptionsBuilder<SecrDbContext>(), "Host=localhost;Database=secr_design").UseOpenIddict().Options);
}
