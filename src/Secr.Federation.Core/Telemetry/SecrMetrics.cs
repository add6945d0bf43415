using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Secr.Federation.Core.Telemetry;

/// <summary>
/// The server's own instruments, all on the one meter <see cref="MeterName"/>. The meter comes from the host's
/// <see cref="IMeterFactory"/>, so a host can tell its own measurements from those of another host in the same
/// process (the integration tests). Tags are bounded sets only (outcomes, grant types, reason codes, registered
/// issuers, cache names): never a subject, a token id, an identity or an address; an issuer a token merely claims
/// never becomes a tag.
/// </summary>
public sealed class SecrMetrics
{
    public const string MeterName = "Secr.Federation";

    /// <summary>Seconds: from well under a millisecond (a cached refusal) to the 5 s issuer key timeout and beyond.</summary>
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Records per audit batch: powers of two up to the ledger's largest batch.</summary>
    private static readonly int[] BatchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Meter _meter;
    private readonly Counter<long> _admissions;
    private readonly Histogram<double> _admissionDuration;
    private readonly Counter<long> _issuerKeyFetches;
    private readonly Counter<long> _cacheLookups;
    private readonly Histogram<double> _auditBatchDuration;
    private readonly Histogram<int> _auditBatchSize;

    public SecrMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _admissions = _meter.CreateCounter<long>("secr.admissions", "{admission}",
            "Credentials presented to the admission pipeline, by outcome, grant type, source issuer and reason code.");
        _admissionDuration = _meter.CreateHistogram("secr.admission.duration", "s",
            "Time from a credential's arrival at the pipeline to its grant or refusal, audit commit included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _issuerKeyFetches = _meter.CreateCounter<long>("secr.issuer_keys.fetches", "{fetch}",
            "Fetches of a trusted issuer's signing keys (discovery and JWKS), by issuer and outcome.");
        _cacheLookups = _meter.CreateCounter<long>("secr.cache.lookups", "{lookup}",
            "Lookups in the server's caches, by cache and result (hit or miss).");
        _auditBatchDuration = _meter.CreateHistogram("secr.audit.batch.duration", "s",
            "Time to commit one group-commit batch of audit records, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _auditBatchSize = _meter.CreateHistogram("secr.audit.batch.size", "{record}",
            "Audit records committed together in one batch.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBuckets });
    }

    /// <param name="sourceIssuer">The registered issuer (or the secr credential kind) that vouched; null when none did.</param>
    /// <param name="reason">The audit reason code: <c>allowed</c>, or the refusal's stable code.</param>
    public void RecordAdmission(string outcome, string grantType, string? sourceIssuer, string reason, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "outcome", outcome },
            { "grant_type", grantType },
            { "source_issuer", sourceIssuer ?? "none" },
            { "reason", reason },
        };
        _admissions.Add(1, tags);
        _admissionDuration.Record(elapsed.TotalSeconds, new TagList { { "outcome", outcome }, { "grant_type", grantType } });
    }

    /// <param name="issuer">The registered issuer's URL: issuers are admin-registered, so the set is bounded.</param>
    public void RecordIssuerKeyFetch(string issuer, bool succeeded) =>
        _issuerKeyFetches.Add(1, new TagList { { "issuer", issuer }, { "outcome", succeeded ? "success" : "failure" } });

    /// <summary>The hit and miss counts of the cache called <paramref name="name"/>.</summary>
    public CacheMeter Cache(string name) => new(_cacheLookups, name);

    public void RecordAuditBatch(int size, bool committed, TimeSpan elapsed)
    {
        _auditBatchSize.Record(size);
        _auditBatchDuration.Record(elapsed.TotalSeconds, new TagList { { "outcome", committed ? "committed" : "failed" } });
    }

    /// <summary>Reports the audit records waiting for the group-commit writer, read at each collection. One ledger per meter.</summary>
    public void ObserveAuditQueueDepth(Func<int> depth) =>
        _meter.CreateObservableGauge("secr.audit.queue.depth", depth, "{record}", "Audit records queued and not yet committed.");
}
