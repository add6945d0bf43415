using Secr.Federation.Application.Organisation;
using Secr.Federation.Core.Organisation;
using Secr.Federation.Server.Alerts;
using Secr.Federation.Server.Events;
using Secr.Federation.Server.Leaks;
using Microsoft.EntityFrameworkCore;
using Secr.Federation.Application.Federation;
using Secr.Federation.Application.Governance;
using Secr.Federation.Application.Identities.Agents;
using Secr.Federation.Application.Identities.MachineTokens;
using Secr.Federation.Application.Scopes;
using Secr.Federation.Application.Users;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Explain;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Federation.SubjectTokens;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.RateLimiting;
using Secr.Federation.Core.Revocation;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Data;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Revocation;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Users;
using Secr.Federation.Server.Admin;
using Secr.Federation.Server.Audit;
using Secr.Federation.Server.Governance;
using Secr.Federation.Server.Health;
using Secr.Federation.Server.Identities;
using Secr.Federation.Server.Observability;
using Secr.Federation.Server.Secrets;
using Secr.Federation.Server.TokenEndpoint;
using Secr.Federation.Server.WebConsole;

namespace Secr.Federation.Server.Hosting;

public static class ServiceRegistration
{
    public static ServerBootstrap AddSecrFederation(this WebApplicationBuilder builder)
    {
        builder.Logging.AddSecrConsole(builder.Configuration, builder.Environment);
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSecrConsole(builder.Configuration, builder.Environment));
        var bootstrap = ServerBootstrap.Prepare(builder.Configuration, loggerFactory.CreateLogger("Secr.Bootstrap"));
        var options = bootstrap.Options;
        var services = builder.Services;

        // Every settings section is bound and validated one way, at start (SettingsBinding); Secr itself already was, by the bootstrap.
        services.AddSettings(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(bootstrap.MasterKey);
        // Pooled: a new context builds its share of EF's internal services (a DI scope and a dozen resolutions) and was
        // 28 % of a secret read's CPU in a perf profile; a pooled one is reset and handed out again. OpenIddict's stores
        // ask the request scope for a context, so the scope gets one from the same pool (returned when the scope ends).
        services.AddPooledDbContextFactory<SecrDbContext>(db => ServerBootstrap.ConfigureDatabase((DbContextOptionsBuilder<SecrDbContext>)db, bootstrap.Options, bootstrap.Data));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<SecrDbContext>>().CreateDbContext());

        services.AddSettings<KeyCacheOptions>(builder.Configuration);
        services.AddSettings<RateLimitSettings>(builder.Configuration);
        services.AddSettings<CredentialOptions>(builder.Configuration);
        services.AddSettings<PostureSettings>(builder.Configuration);
        services.AddSettings<OrganisationSettings>(builder.Configuration);
        services.AddSettings<Core.Dpop.DpopSettings>(builder.Configuration);
        AddDomain(services, options);
        AddRateLimits(services);
        AddIdentities(services);
        AddGovernance(services);
        AddClusterJobs(services);

        // Each feature wires itself.
        services.AddTokenEndpoint(bootstrap);
        services.AddSecretsApi();
        services.AddLeakIntake(builder.Configuration);
        services.AddSecurityEvents();
        services.AddHttpClient(AlertWebhook.ClientName).RemoveAllLoggers();
        services.AddSingleton<AlertWebhook>();
        services.AddAdminApi();
        services.AddSecrConsole(new Uri(options.Issuer));
        services.AddSecrHealth();
        services.AddSecrHttpApi();
        services.AddTokenSafeLogFilter();
        builder.AddSecrTelemetry();
        return bootstrap;
    }

    private static void AddDomain(IServiceCollection services, SecrOptions options)
    {
        var fetchOptions = new JwksFetchOptions { AllowInsecureLoopbackIssuers = options.Development.AllowInsecureLoopbackIssuers };
        services.AddSingleton(fetchOptions);
        services.AddSingleton<SecrMetrics>();
        // The audience workloads request is the issuer exactly as discovery publishes it.
        services.AddSingleton(new FederationOptions { DefaultAudience = new Uri(options.Issuer).AbsoluteUri });
        services.AddSingleton<IJwksFetcher, HttpJwksFetcher>();
        services.AddSingleton<IssuerKeyCache>();
        services.AddSingleton<SubjectTokenValidator>();
        services.AddSingleton<EfTrustRegistry>();
        services.AddSingleton<ITrustRegistry>(sp => sp.GetRequiredService<EfTrustRegistry>());
        services.AddSingleton<EfAuditLedger>();
        services.AddSingleton<IAuditLedger>(sp => ActivatorUtilities.CreateInstance<RepeatedFailureAlerts>(sp, sp.GetRequiredService<EfAuditLedger>()));
        services.AddSingleton<IAuditReader, EfAuditReader>();
        services.AddSingleton<AuditChainStore>();
        services.AddSingleton<WorkloadTokenAuthenticator>();
        services.AddSingleton<BindingResolver>();
        services.AddSingleton<GrantPolicy>();
        services.AddSingleton<AdmissionPipeline>();
        services.AddSingleton<BindingExplainer>();
        services.AddSingleton<ScopeStore>();
        services.AddSingleton<ProjectAdministration>();
        services.AddSingleton<TrustStore>();
        services.AddSingleton<IssuerAdministration>();
        services.AddSingleton<BindingAdministration>();
    }

    private static void AddRateLimits(IServiceCollection services)
    {
        services.AddSingleton<ClientRateLimits>();
        services.AddSingleton<IdentityRateLimit>();
        services.AddSingleton<RepeatedFailureWatch>();
    }

    private static void AddIdentities(IServiceCollection services)
    {
        services.AddSingleton<IIdentityDirectory, EfIdentityDirectory>();
        services.AddIdentityKinds();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<UserAdministration>();
        services.AddSingleton<MachineTokenStore>();
        services.AddSingleton<MachineTokenAdministration>();
        services.AddSingleton<AgentStore>();
        services.AddSingleton<AgentAdministration>();
        services.AddSingleton<OwnedIdentities>();
        services.AddSingleton<Offboarding>();
        services.AddSingleton<IdentityLookup>();
        services.AddSingleton<EfGrantRevocations>();
        services.AddSingleton<IGrantRevocations>(sp => sp.GetRequiredService<EfGrantRevocations>());
        services.AddSingleton<RevokedTokens>();
        services.AddSingleton<TokenRevocation>();
    }

    private static void AddGovernance(IServiceCollection services)
    {
        services.AddSingleton<PostureGrader>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<IPolicyReader>(sp => sp.GetRequiredService<PolicyStore>());
        services.AddSingleton<PolicyAdministration>();
        services.AddSingleton<OrganisationNameStore>();
        services.AddSingleton<OrganisationName>();
        services.AddSingleton<Brownout>();
        services.AddSingleton<NhiInventory>();
        services.AddSingleton<CurrentGrades>();
        services.AddSingleton<ICurrentGrades>(sp => sp.GetRequiredService<CurrentGrades>());
        services.AddSingleton<UnusedIdentities>();
        services.AddSingleton<AutoDisable>();
        services.AddSingleton<Remediation>();
        services.AddSingleton<PostureSnapshotStore>();
        services.AddSingleton<PostureSnapshots>();
        services.AddSingleton<ReportAudit>();
        services.AddSingleton<NhiReports>();
    }

    /// <summary>The jobs that run once across the cluster, each under its lease (signing-key rotation has its own schedule).</summary>
    private static void AddClusterJobs(IServiceCollection services)
    {
        services.AddSingleton<JobLeases>();
        services.AddHostedService<PolicyEnforcementJob>();
        services.AddSingleton<UsageSignalFold>();
        services.AddHostedService<UsageSignalsJob>();
        services.AddHostedService<PostureSnapshotJob>();
        services.AddSingleton<ReplayKeyPurge>();
        services.AddHostedService<TokenStatePurgeJob>();
        services.AddSingleton<AuditRetention>();
        services.AddHostedService<AuditRetentionJob>();
    }
}
