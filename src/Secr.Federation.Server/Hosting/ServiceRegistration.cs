using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Data.Storage;
using Secr.Federation.Server.Health;
using Secr.Federation.Core.RateLimiting;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Secr.Federation.Data.Cluster;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Federation.Explain;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Core.Federation.SubjectTokens;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Data;
using Secr.Federation.Data.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Users;
using Secr.Federation.Data.Secrets;
using Secr.Federation.Core.Secrets;
using Secr.Federation.Server.Secrets;
using Secr.Federation.Core.Governance;
using Secr.Federation.Data.Governance;
using Secr.Federation.Server.Governance;
using Secr.Federation.Data.Keys;
using Secr.Federation.Server.Keys;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Server.Admin;
using Secr.Federation.Server.Audit;
using Secr.Federation.Server.Observability;
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

        services.AddOptions<SecrOptions>().Bind(builder.Configuration.GetSection(SecrOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(bootstrap.MasterKey);
        // Pooled: a new context builds its share of EF's internal services (a DI scope and a dozen resolutions) and was
        // 28 % of a secret read's CPU in a perf profile; a pooled one is reset and handed out again. OpenIddict's stores
        // ask the request scope for a context, so the scope gets one from the same pool (returned when the scope ends).
        services.AddPooledDbContextFactory<SecrDbContext>(db => ServerBootstrap.ConfigureDatabase((DbContextOptionsBuilder<SecrDbContext>)db, bootstrap.Options, bootstrap.Data));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<SecrDbContext>>().CreateDbContext());

        AddDomain(services, options, builder.Configuration.GetSection("Secr:Keys").Get<KeyCacheOptions>() ?? new KeyCacheOptions());
        AddRateLimits(services, builder.Configuration.GetSection(RateLimitSettings.Section).Get<RateLimitSettings>() ?? new RateLimitSettings());
        AddIdentities(services, builder.Configuration.GetSection("Secr:Credentials").Get<CredentialOptions>() ?? new CredentialOptions());
        AddSecrets(services);
        AddGovernance(services, builder.Configuration.GetSection("Secr:Posture").Get<PostureSettings>() ?? new PostureSettings());
        AddClusterJobs(services);
        AddOpenIddict(services, bootstrap);
        AddAdminApi(services, options);
        builder.AddSecrTelemetry();
        return bootstrap;
    }

    private static void AddDomain(IServiceCollection services, SecrOptions options, KeyCacheOptions keyCacheOptions)
    {
        var fetchOptions = new JwksFetchOptions { AllowInsecureLoopbackIssuers = options.Development.AllowInsecureLoopbackIssuers };
        services.AddSingleton(fetchOptions);
        services.AddSingleton(keyCacheOptions);
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
        services.AddSingleton<ICredentialAuthenticator, WorkloadTokenAuthenticator>();
        services.AddSingleton<IIdentityResolver, BindingResolver>();
        services.AddSingleton<GrantPolicy>();
        services.AddSingleton<AdmissionPipeline>();
        services.AddSingleton<BindingExplainer>();
        services.AddSingleton<ScopeStore>();
        services.AddSingleton<TrustStore>();
    }

    /// <summary>
    /// OpenIddict writes every token it creates, whole, at Trace (event 6013). Its dispatcher keeps the level configured
    /// for it, but never below Debug, so raising OpenIddict to Trace to debug cannot leak live access tokens. The rule is
    /// added after the configuration's, so it wins for that category.
    /// </summary>
    private static void NoTokensInLogs(LoggerFilterOptions filters)
    {
        const string dispatcher = "OpenIddict.Server.OpenIddictServerDispatcher";
        var configured = filters.Rules
            .Where(r => r.ProviderName is null && (r.CategoryName is null || dispatcher.StartsWith(r.CategoryName, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(r => r.CategoryName?.Length ?? 0).LastOrDefault()?.LogLevel ?? filters.MinLevel;
        filters.Rules.Add(new LoggerFilterRule(null, dispatcher, configured < LogLevel.Debug ? LogLevel.Debug : configured, null));
    }

    private static void AddRateLimits(IServiceCollection services, RateLimitSettings limits)
    {
        if (limits.Errors().ToList() is { Count: > 0 } errors)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }

        services.AddSingleton(limits);
        services.AddSingleton<ClientRateLimits>();
        services.AddSingleton<IdentityRateLimit>();
        services.AddSingleton<RepeatedFailureWatch>();
    }

    private static void AddIdentities(IServiceCollection services, CredentialOptions credentialOptions)
    {
        // A retired signing key stays published for the longest access-token lifetime (plus a margin): no token may outlive it.
        if (credentialOptions.AccessTokenLifetime <= TimeSpan.Zero || credentialOptions.AccessTokenLifetime > TrustBinding.MaxAccessTokenTtl ||
            credentialOptions.MaxAgentLifetime <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Secr:Credentials:AccessTokenLifetime must be positive and at most {TrustBinding.MaxAccessTokenTtl}; Secr:Credentials:MaxAgentLifetime must be positive");
        }

        services.AddSingleton(credentialOptions);
        services.AddSingleton<IIdentityDirectory, EfIdentityDirectory>();
        services.AddSingleton<ICredentialAuthenticator, MachineTokenAuthenticator>();
        services.AddSingleton<IIdentityResolver, MachineTokenResolver>();
        services.AddSingleton<ICredentialAuthenticator, AgentTokenAuthenticator>();
        services.AddSingleton<IIdentityResolver, AgentResolver>();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<MachineTokenStore>();
        services.AddSingleton<AgentStore>();
        services.AddSingleton<Offboarding>();
        services.AddSingleton<IdentityLookup>();
    }

    private static void AddGovernance(IServiceCollection services, PostureSettings posture)
    {
        services.AddSingleton(posture);
        services.AddSingleton<PostureGrader>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<IPolicyReader>(sp => sp.GetRequiredService<PolicyStore>());
        services.AddSingleton<Brownout>();
        services.AddSingleton<NhiInventory>();
        services.AddSingleton<AutoDisable>();
        services.AddSingleton<Remediation>();
    }

    /// <summary>The jobs that run once across the cluster, each under its lease (signing-key rotation has its own schedule).</summary>
    private static void AddClusterJobs(IServiceCollection services)
    {
        services.AddSingleton<JobLeases>();
        services.AddHostedService<PolicyEnforcementJob>();
        services.AddSingleton<ReplayKeyPurge>();
        services.AddHostedService<ReplayKeyPurgeJob>();
        services.AddSingleton<AuditRetention>();
        services.AddHostedService<AuditRetentionJob>();
    }

    private static void AddSecrets(IServiceCollection services)
    {
        services.AddSingleton<SecretCipher>();
        services.AddSingleton<ISecretVault, EfSecretVault>();
        services.AddSingleton<CanaryPlacement>();
        services.AddSingleton<ProjectGuards>();
        services.AddSingleton<IGuardSettingsProvider>(sp => sp.GetRequiredService<ProjectGuards>());
        services.AddSingleton<IProjectFreezer>(sp => sp.GetRequiredService<ProjectGuards>());
        services.AddSingleton<IdentityGuards>();
        // The factory's loggers would write the webhook URL, which many services (Slack, Teams) make the credential.
        services.AddHttpClient<ICanaryAlerts, CanaryAlerts>().RemoveAllLoggers();
        services.AddSingleton<WorkloadSecrets>();
        services.AddSingleton<WorkloadAuthentication>();
    }

    private static void AddOpenIddict(IServiceCollection services, ServerBootstrap bootstrap)
    {
        // Signing keys come from the ring, which rotation swaps at run time (see SigningKeyRing).
        var ring = new SigningKeyRing(bootstrap.SigningKeys);
        services.AddSingleton(ring);
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(ring);
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(ring);
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<SigningKeyRotation>();
        services.AddHostedService(sp => sp.GetRequiredService<SigningKeyRotation>());

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<SecrDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(new Uri(bootstrap.Options.Issuer));
                // Relative to the path base, as the edge rules see it (RequestPaths).
                server.SetTokenEndpointUris(RequestPaths.TokenEndpoint.TrimStart('/'));
                server.SetJsonWebKeySetEndpointUris(".well-known/jwks");

                // Workloads are anonymous clients (no client_id, no secret): the credential they present is the authentication.
                // Machine and agent tokens are traded on the same endpoint through the same pipeline.
                server.AllowTokenExchangeFlow();
                server.AllowCustomFlow(TokenRequestReader.MachineTokenGrant);
                server.AllowCustomFlow(TokenRequestReader.AgentTokenGrant);
                server.AcceptAnonymousClients();


                // There are no registered clients (see RefuseClientAuthentication): the built-in client_id check would
                // only build an application manager and a DbContext on every request to find nothing to check.
                server.RemoveEventHandler(OpenIddictServerHandlers.ValidateClientId.Descriptor);
                server.AddEventHandler(RefuseClientAuthentication.Descriptor);
                server.PrepareTokenPrincipalsWithoutClients();
                server.Configure(o =>
                {
                    o.SubjectTokenTypes.Clear();
                    foreach (var type in TokenRequestReader.SubjectTokenTypes)
                    {
                        o.SubjectTokenTypes.Add(type);
                    }
                });

                // Tokens are stateless JWTs: no database row per issued token; scopes are checked by the pipeline.
                server.DisableTokenStorage();
                server.DisableAuthorizationStorage();
                server.DisableScopeValidation();
                server.DisableAccessTokenEncryption();

                // OpenIddict requires an encryption key even though nothing is encrypted (no stored or encrypted tokens).
                server.AddEphemeralEncryptionKey();

                server.RemoveEventHandler(OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<OpenIddictServerEvents.ExtractTokenRequestContext>.Descriptor);
                server.AddEventHandler(ExtractTokenForm.Descriptor);
                server.AddEventHandler(SkipBuiltInSubjectTokenValidation.Descriptor);
                server.AddEventHandler(AdmitTokenRequest.Descriptor);
                server.AddEventHandler(AttachGrantedScope.Descriptor);
                server.AddEventHandler(AttachRefusalDetails.Descriptor);
                server.AddEventHandler(AttachDiscoveryMetadata.Descriptor);

                // TLS is expected to terminate at the proxy in front; Secr:Issuer must be https unless it is loopback.
                server.UseAspNetCore().DisableTransportSecurityRequirement();
            });
    }

    private static void AddAdminApi(IServiceCollection services, SecrOptions options)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AdminAuthenticationHandler>(AdminAuthenticationHandler.SchemeName, null);
        services.AddHostedService<AdminRecovery.LockoutWarning>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminAuthenticationHandler.Policy, policy =>
                policy.AddAuthenticationSchemes(AdminAuthenticationHandler.SchemeName).RequireAuthenticatedUser().RequireRole("admin"))
            .AddPolicy(SelfService.Policy, policy =>
                policy.AddAuthenticationSchemes(AdminAuthenticationHandler.SchemeName).RequireAuthenticatedUser().RequireRole("admin", "member"));
        // Outside Development minimal APIs answer a malformed body with a bare 400; thrown, it reaches the problem
        // details below, which name the offending field in every environment.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // The JSON reader names the offending field (e.g. an unknown one); echo it, it is the client's own input. A
            // converter's own message (NulRefusal's) lacks the field, which the reader then keeps in Path.
            if (context.Exception is BadHttpRequestException { InnerException: JsonException json })
            {
                context.ProblemDetails.Detail = json.Path is { } path && !json.Message.Contains(path, StringComparison.Ordinal) ? $"{json.Message} Path: {path}" : json.Message;
            }
        });
        services.AddOpenApi(EndpointRegistration.OpenApiDocument, openApi => openApi.AddSchemaTransformer(NulRefusal.DescribeStringsAsync));
        services.AddSecrConsole(new Uri(options.Issuer));
        services.AddExceptionHandler<StorageOutageHandler>();

        services.PostConfigure<LoggerFilterOptions>(NoTokensInLogs);
        services.AddSingleton<DatabaseProbe>();
        services.AddHealthChecks().AddCheck<ReadinessChecks>(ReadinessChecks.Tag, tags: [ReadinessChecks.Tag]);
        services.ConfigureHttpJsonOptions(json =>
        {
            // Unknown fields are errors, not silently ignored: a typo in "allow_broad_match" must not pass unnoticed.
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.AllowDuplicateProperties = false;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            json.SerializerOptions.Converters.Add(new NulRefusal.StringConverter());
        });
    }
}
