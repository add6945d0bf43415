using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Server;
using Secr.Federation.Core.Audit;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.LoadTest;

/// <summary>
/// The server with one of its stages taken out, to measure that stage alone by difference in the same run: the load
/// test starts the server's own build with this assembly as its startup hook and <see cref="Variable"/> naming the
/// stage. Nothing in the server is compiled differently. Its services are changed after its own registrations, as
/// ASP.NET Core's WebApplicationFactory does: on the host's <c>HostBuilding</c> diagnostic event.
/// </summary>
public static class ServerStages
{
    public const string Variable = "SECR_BENCH_STAGE";

    /// <summary>The subject tokens' JWKS, for <see cref="Stage.ReferenceAdmission"/> (its address is <see cref="ReferenceExchange.AddressVariable"/>).</summary>
    public const string JwksVariable = "SECR_BENCH_JWKS";

    public enum Stage
    {
        /// <summary>The server as built.</summary>
        Full,

        /// <summary>
        /// The audit ledger acknowledges every record at once and keeps nothing: the full server minus this variant is
        /// the durable audit commit (the request's wait, the record's batch, its replay key, the last-use mark, the fsync).
        /// </summary>
        InMemoryAudit,

        /// <summary>
        /// The audit ledger acknowledges every record without writing it, but only after the request has suspended and
        /// resumed on the thread pool, as it does while its record waits for the group commit: against
        /// <see cref="InMemoryAudit"/>, the cost of that wait alone; the full server minus this variant is the writer's work.
        /// </summary>
        SuspendingAudit,

        /// <summary>
        /// The server's token handler (the admission pipeline, and so the audit) is replaced by the ceiling's
        /// <see cref="ReferenceSignIn"/>: the same RS256 check and the same principal. Against the ceiling, what is left
        /// is the server's own OpenIddict set-up, host and middleware; against <see cref="InMemoryAudit"/>, admission.
        /// </summary>
        ReferenceAdmission,
    }

    /// <summary>Called by the startup hook in a server started with <see cref="Variable"/> set.</summary>
    public static void Install(Stage stage)
    {
        if (stage == Stage.Full)
        {
            return;
        }

        DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e =>
                {
                    if (e is { Key: "HostBuilding", Value: IHostBuilder host })
                    {
                        host.ConfigureServices((_, services) => TakeOut(stage, services));
                    }
                }));
            }
        }));
    }

    private static void TakeOut(Stage stage, IServiceCollection services)
    {
        if (stage is Stage.InMemoryAudit or Stage.SuspendingAudit)
        {
            services.AddSingleton<IAuditLedger>(new AcknowledgingLedger(suspend: stage == Stage.SuspendingAudit));
            return;
        }

        var jwks = Environment.GetEnvironmentVariable(JwksVariable) ?? throw new InvalidOperationException($"{JwksVariable} is not set");
        services.AddSingleton(ReferenceExchange.LoadAsync(jwks).GetAwaiter().GetResult());
        services.TryAdd(ReferenceSignIn.Descriptor.ServiceDescriptor);
        services.Configure<OpenIddictServerOptions>(options =>
        {
            // The server's admission is its AdmitTokenRequest (beside it, BindToDpopKey acts only on a request with a DPoP proof,
            // which the benchmark does not send). This assembly does not reference the server's, so the handler is found by name.
            var own = options.Handlers.FindAll(d => d.ContextType == typeof(HandleTokenRequestContext) && d.Type == OpenIddictServerHandlerType.Custom
                && d.ServiceDescriptor.ServiceType.Name == "AdmitTokenRequest");
            if (own is not [var admit])
            {
                throw new InvalidOperationException($"expected the server's one admission handler, found {own.Count}");
            }

            options.Handlers[options.Handlers.IndexOf(admit)] = ReferenceSignIn.Descriptor;
        });
    }

    private sealed class AcknowledgingLedger(bool suspend) : IAuditLedger
    {
        private static readonly Task<CommitOutcome> Committed = Task.FromResult(CommitOutcome.Committed);

        public Task<CommitOutcome> CommitAsync(AuditRecord record, ReplayClaim? replay, CancellationToken cancellationToken) =>
            suspend ? AfterSuspendingAsync() : Committed;

        private static async Task<CommitOutcome> AfterSuspendingAsync()
        {
            // The caller resumes from the thread pool's queue, as from the group commit's completion (RunContinuationsAsynchronously).
            await Task.Yield();
            return CommitOutcome.Committed;
        }
    }

    private sealed class Observer<T>(Action<T> next) : IObserver<T>
    {
        public void OnNext(T value) => next(value);

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
