using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Secr.Federation.Data.SqlServer;

/// <summary>Lets <c>dotnet ef migrations add --project src/Secr.Federation.Data.SqlServer</c> build the SQL Server model offline.</summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<SecrDbContext>
{
    public SecrDbContext CreateDbContext(string[] args) =>
        new(SqlServerStorage.Use(new DbContextOptionsBuilder<SecrDbContext>(), "Server=localhost;Database=secr_design;Trusted_Connection=True;TrustServerCertificate=True").UseOpenIddict().Options);
}
