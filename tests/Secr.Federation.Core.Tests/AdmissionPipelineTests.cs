using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Policy;
using Secr.Federation.Core.Telemetry;
using Secr.Federation.Core.Tests.Support;

namespace Secr.Federation.Core.Tests;

public sealed class AdmissionPipelineTests
{
    private static readonly ResolvedIdentity Deploy = new()
    {
        Id = "bnd_1", Type = IdentityType.OidcBinding, Lifecycle = OidcBindingKind.LifecycleRules, Name = "deploy", Binding = "deploy", Project = "payments", Environment = "prod",
        Permission = Permission.Read, MaxLifetime = TimeSpan.FromMinutes(15),
    };

    [Fact]
    public async Task A_grant_is_returned_only_after_its_audit_record_is_committed()
    {
        var ledger = new RecordingLedger();
        var result = await Pipeline(ledger).AdmitAsync(Request(), CancellationToken.None);

        Assert.True(result.Admitted);
        var record = Assert.Single(ledger.Records);
        Assert.Equal(AuditOutcome.Allowed, record.Outcome);
        Assert.Equal(result.Grant!.TokenId, record.TokenId);
        Assert.Equal("https://issuer", record.SourceIssuer);
    }

    [Fact]
    public async Task When_the_audit_store_fails_nothing_is_granted()
    {
        var result = await Pipeline(new RecordingLedger { Fail = true }).AdmitAsync(Request(), CancellationToken.None);

        Assert.False(result.Admitted);
        Assert.Equal("audit.unavailable", result.Refusal!.Code);
        Assert.Equal(RefusalKind.Unavailable, result.Refusal.Kind);
    }

    [Fact]
    public async Task A_replayed_credential_is_refused_even_though_every_other_stage_accepted_it()
    {
        var ledger = new RecordingLedger { ReplayAlreadySeen = true };
        var result = await Pipeline(ledger).AdmitAsync(Request(), CancellationToken.None);

        Assert.False(result.Admitted);
        Assert.Equal(RefusalCode.SubjectTokenReplayed.Value, result.Refusal!.Code);
        Assert.Null(result.Audit.TokenId);
    }

    [Fact]
    public async Task A_use_whose_identity_was_revoked_before_its_audit_record_committed_is_refused()
    {
        var ledger = new RecordingLedger { IdentityRevokedMeanwhile = true };
        var result = await Pipeline(ledger).AdmitAsync(Request(), CancellationToken.None);

        Assert.False(result.Admitted);
        Assert.Equal(RefusalCode.IdentityStateChanged.Value, result.Refusal!.Code);
        Assert.Equal(RefusalKind.Forbidden, result.Refusal.Kind);
        Assert.Null(result.Audit.TokenId);
        Assert.Equal(AuditOutcome.Refused, Assert.Single(ledger.Records).Outcome);
    }

    [Fact]
    public async Task An_unexpected_fault_refuses_and_is_still_audited()
    {
        var ledger = new RecordingLedger();
        var result = await Pipeline(ledger).AdmitAsync(Request(authenticatorThrows: true), CancellationToken.None);

        Assert.Equal("internal.error", result.Refusal!.Code);
        Assert.Equal(AuditOutcome.Refused, Assert.Single(ledger.Records).Outcome);
    }

    [Fact]
    public async Task A_client_outside_the_identity_ip_allowlist_is_refused()
    {
        var ledger = new RecordingLedger();
        var identity = Deploy with { Access = new ConditionalAccess { AllowedNetworks = [Cidr.Parse("203.0.113.0/24")] } };

        var outside = await Pipeline(ledger).AdmitAsync(Request(IPAddress.Parse("198.51.100.7"), identity), CancellationToken.None);
        var inside = await Pipeline(ledger).AdmitAsync(Request(IPAddress.Parse("203.0.113.9"), identity), CancellationToken.None);

        Assert.Equal("access.ip_not_allowed", outside.Refusal!.Code);
        Assert.Equal(RefusalKind.Forbidden, outside.Refusal.Kind);
        Assert.True(inside.Admitted);
    }

    [Fact]
    public async Task A_request_error_is_refused_before_the_credential_is_even_looked_at()
    {
        var request = Request(authenticatorThrows: true) with { RequestError = Refusals.Create(RefusalCode.RequestScope, "unknown scope value 'admin'") };
        var result = await Pipeline(new RecordingLedger()).AdmitAsync(request, CancellationToken.None);

        Assert.Equal("request.scope", result.Refusal!.Code);
        Assert.Equal(RefusalKind.InvalidScope, result.Refusal.Kind);
    }

    [Fact]
    public async Task Each_admission_is_counted_and_timed_by_outcome_with_no_subject_address_or_request_id_among_the_tags()
    {
        using var meters = new TestMeterFactory();
        var counted = new List<(string Instrument, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => counted.Add((instrument.Name, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => counted.Add((instrument.Name, Tags(tags))));
        listener.Start();
        var identity = Deploy with { Access = new ConditionalAccess { AllowedNetworks = [Cidr.Parse("203.0.113.0/24")] } };
        var pipeline = Pipeline(new RecordingLedger(), new SecrMetrics(meters));

        await pipeline.AdmitAsync(Request(IPAddress.Parse("203.0.113.9"), identity), CancellationToken.None);
        await pipeline.AdmitAsync(Request(IPAddress.Parse("198.51.100.7"), identity), CancellationToken.None);

        var admissions = counted.Where(c => c.Instrument == "secr.admissions").Select(c => c.Tags).ToList();
        Assert.Equal(2, admissions.Count);
        Assert.Equal(["allowed", "refused"], admissions.Select(t => (string?)t["outcome"]));
        Assert.Equal(["allowed", "access.ip_not_allowed"], admissions.Select(t => (string?)t["reason"]));
        Assert.All(admissions, t => Assert.Equal("https://issuer", t["source_issuer"]));
        Assert.All(admissions, t => Assert.Equal(Request().GrantType, t["grant_type"]));
        Assert.Equal(["allowed", "refused"], counted.Where(c => c.Instrument == "secr.admission.duration").Select(c => (string?)c.Tags["outcome"]));
        var values = counted.SelectMany(c => c.Tags.Values).Select(v => v?.ToString() ?? "").ToList();
        Assert.DoesNotContain(values, v => v.Contains("octo-repo") || v.Contains("203.0.113") || v.Contains("198.51.100") || v == "req-1" || v == Deploy.Name);
    }

    [Fact]
    public async Task An_admission_is_one_span_with_a_child_per_stage_it_reached()
    {
        using var root = new Activity("test").Start();
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SecrTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                // Only this test's trace: other tests may run pipelines at the same time.
                if (span.TraceId == root.TraceId)
                {
                    lock (spans)
                    {
                        spans.Add(span);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await Pipeline(new RecordingLedger()).AdmitAsync(Request(), CancellationToken.None);

        var admission = Assert.Single(spans, s => s.OperationName == "secr.admission");
        Assert.Equal(root.SpanId, admission.ParentSpanId);
        Assert.Equal("allowed", admission.GetTagItem("secr.outcome"));
        var stages = spans.Where(s => s.ParentSpanId == admission.SpanId).Select(s => s.OperationName);
        Assert.Equal(["secr.admission.authenticate", "secr.admission.resolve", "secr.admission.policy", "secr.admission.audit"], stages);
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            copy[key] = value;
        }

        return copy;
    }

    private static AdmissionRequest Request(IPAddress? ip = null, ResolvedIdentity? identity = null, bool authenticatorThrows = false) => new()
    {
        Kind = new StubKind(identity ?? Deploy, authenticatorThrows, new ReplayClaim("k", DateTimeOffset.UtcNow.AddMinutes(5))),
        GrantType = "urn:ietf:params:oauth:grant-type:token-exchange",
        Credential = "opaque",
        Client = new AdmissionClient(ip, "test", "req-1"),
    };

    private static AdmissionPipeline Pipeline(RecordingLedger ledger, SecrMetrics? metrics = null) =>
        new(new GrantPolicy(new IdentityGuards(Support.FixedGuards.None, Support.FixedPolicies.None, Support.FixedGrades.None, new Secr.Federation.Core.Governance.Brownout(), Support.Limits.Unlimited(TimeProvider.System), TimeProvider.System), TimeProvider.System), ledger, metrics ?? new SecrMetrics(new TestMeterFactory()), TimeProvider.System, NullLogger<AdmissionPipeline>.Instance);

    private sealed class RecordingLedger : IAuditLedger
    {
        public List<AuditRecord> Records { get; } = [];
        public bool Fail { get; init; }
        public bool ReplayAlreadySeen { get; init; }

        public bool IdentityRevokedMeanwhile { get; init; }

        public Task<CommitOutcome> CommitAsync(AuditRecord record, ReplayClaim? replay, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new AuditLedgerUnavailableException("disk full");
            }

            var outcome = IdentityRevokedMeanwhile && record.Outcome == AuditOutcome.Allowed ? CommitOutcome.IdentityChanged
                : replay is not null && ReplayAlreadySeen ? CommitOutcome.Replayed
                : CommitOutcome.Committed;
            Records.Add(outcome switch
            {
                CommitOutcome.Replayed => record.AsRefusal(RefusalCode.SubjectTokenReplayed.Value, ReplayClaim.RefusalDetail),
                CommitOutcome.IdentityChanged => record.AsRefusal(RefusalCode.IdentityStateChanged.Value, IAuditLedger.IdentityChangedDetail),
                _ => record,
            });
            return Task.FromResult(outcome);
        }
    }
}
