using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Secr.Federation.Data;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Data.Keys;
using Secr.Federation.Data.Secrets;
using Secr.Federation.Data.Storage;
using Secr.Federation.Data.Users;
using Secr.Federation.Server.Keys;
using Secr.Federation.Server.Storage;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// What must exist before the host is built: validated settings, the data directory, the migrated database, the
/// master key, this server's signing keys and the admin credential.
/// </summary>
public sealed record ServerBootstrap(SecrOptions Options, DataDirectory Data, MasterKey MasterKey, IReadOnlyList<ServerSigningKey> SigningKeys)
{
    /// <summary>Applies the pending migrations of the configured database, whatever <c>MigrateOnStart</c> says.</summary>
    public static void Migrate(IConfiguration configuration)
    {
        var options = Validated(configuration);
        ApplyMigrations(ConfigureDatabase(new DbContextOptionsBuilder<SecrDbContext>(), options, new DataDirectory(options.DataDirectory)).Options);
    }

    public static ServerBootstrap Prepare(IConfiguration configuration, ILogger logger)
    {
        var options = Validated(configuration);
        var data = new DataDirectory(options.DataDirectory);
        var masterKey = new MasterKey(options.MasterKey is { Length: > 0 } configured ? Convert.FromBase64String(configured) : data.LoadOrCreateMasterKey());

        var database = ConfigureDatabase(new DbContextOptionsBuilder<SecrDbContext>(), options, data).Options;
        if (options.Database.MigrateOnStart)
        {
            ApplyMigrations(database);
        }

        var factory = new SingleContextFactory(database);
        var store = new SigningKeyStore(factory, masterKey, TimeProvider.System);
        store.RotateIfDueAsync(options.Signing.Rotation(options.Database), rotateNow: false, CancellationToken.None).GetAwaiter().GetResult();
        var keys = store.LoadAsync(SigningKeyRotation.PublishRetiredFor, CancellationToken.None).GetAwaiter().GetResult();

        using (var db = factory.CreateDbContext())
        {
            UserStore.EnsureBootstrapAdminAsync(db, options.BootstrapAdminEmail, ResolveAdminToken(options, data, logger), TimeProvider.System.GetUtcNow(), CancellationToken.None)
                .GetAwaiter().GetResult();
            OrganisationSettingsRow.EnsureAsync(db, CancellationToken.None).GetAwaiter().GetResult();
            ChangeCounters.EnsureAsync(db, ChangeCounterEntity.Trust, CancellationToken.None).GetAwaiter().GetResult();
        }

        return new ServerBootstrap(options, data, masterKey, keys);
    }

    public static DbContextOptionsBuilder<SecrDbContext> ConfigureDatabase(DbContextOptionsBuilder<SecrDbContext> builder, SecrOptions options, DataDirectory data) =>
        DatabaseConfiguration.Configure(builder, options.Database, data);

    private static void ApplyMigrations(DbContextOptions<SecrDbContext> database)
    {
        using var db = new SecrDbContext(database);
        db.Database.Migrate();
    }

    /// <summary>The configuration key ASP.NET reads for <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> (the prefix is dropped).</summary>
    private const string AspNetForwardedHeadersSwitch = "FORWARDEDHEADERS_ENABLED";

    private static SecrOptions Validated(IConfiguration configuration)
    {
        var problems = new List<string>();
        // The binder leaves a list empty when it is given one value (Secr__Network__TrustedProxies=10.0.0.0/8): say so
        // rather than start with the proxies silently untrusted.
        if (configuration[NetworkSettings.TrustedProxiesKey] is { Length: > 0 })
        {
            problems.Add($"{NetworkSettings.TrustedProxiesKey} is a list: set one entry per key, {NetworkSettings.TrustedProxiesKey}:0, :1, … (Secr__Network__TrustedProxies__0, __1, …)");
        }

        // ASP.NET's own switch (ASPNETCORE_FORWARDEDHEADERS_ENABLED) adds a forwarded-headers middleware that believes
        // X-Forwarded-For from every peer, which would let any caller pick the address an allowlist checks.
        if (string.Equals(configuration[AspNetForwardedHeadersSwitch], "true", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"ASPNETCORE_{AspNetForwardedHeadersSwitch} trusts X-Forwarded-For from every client: unset it and list the proxies in {NetworkSettings.TrustedProxiesKey}");
        }

        return SettingsBinding.Read<SecrOptions>(configuration, problems);
    }

    private static string ResolveAdminToken(SecrOptions options, DataDirectory data, ILogger logger)
    {
        if (options.BootstrapAdminToken is { Length: > 0 } configured)
        {
            return configured;
        }

        var (token, created) = data.LoadOrCreateAdminToken();
        if (created)
        {
            // Printed once, on the console of the first start only; it is also in a 0600 file for the operator.
            Console.WriteLine($"Generated the bootstrap admin token (shown once; also stored in {Path.Combine(data.Path, "admin-token")}):{Environment.NewLine}{token}");
        }
        else
        {
            logger.LogInformation("Admin credential loaded from the data directory");
        }

        return token;
    }

    private sealed class SingleContextFactory(DbContextOptions<SecrDbContext> options) : IDbContextFactory<SecrDbContext>
    {
        public SecrDbContext CreateDbContext() => new(options);
    }
}
