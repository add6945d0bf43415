using System.Globalization;

namespace Secr.Federation.LoadTest;

/// <summary>
/// The server's own view of a run, from its Prometheus scrape endpoint (<c>/metrics</c>, on by default) read before and
/// after: how many of the run's requests took at most 10 ms inside the server (ASP.NET Core's
/// <c>http.server.request.duration</c>), how many admissions, durable audit commit included, did (<c>secr.admission.duration</c>),
/// and the audit batches' mean size (<c>secr.audit.batch.size</c>). Beside the load generator's latencies, it tells the
/// time a request spent in the server from the time it spent queued on a machine the generator shares.
/// </summary>
public sealed record ServerMetrics(IReadOnlyDictionary<string, double> Samples)
{
    private const string WithinTenMilliseconds = "le=\"0.01\"";

    public static async Task<ServerMetrics> ScrapeAsync(HttpClient client)
    {
        var samples = new Dictionary<string, double>();
        foreach (var line in (await client.GetStringAsync("metrics")).Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // "name{labels} value [timestamp]", or "name value [timestamp]" without labels.
            var nameEnd = line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : line.IndexOf(' ');
            var key = line[..nameEnd];
            var value = line[nameEnd..].Trim().Split(' ')[0];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                samples[key] = number;
            }
        }

        return new ServerMetrics(samples);
    }

    /// <summary>What happened between <paramref name="before"/> and this scrape, as one line.</summary>
    public string Since(ServerMetrics before)
    {
        var requests = Share(before, "http_server_request_duration_seconds");
        var admissions = Share(before, "secr_admission_duration_seconds");
        var (batchSum, batchCount) = (Delta(before, "secr_audit_batch_size", "_sum"), Delta(before, "secr_audit_batch_size", "_count"));
        return $"inside the server: {Percent(requests)} of requests took <= 10 ms, {Percent(admissions)} of admissions (the durable audit commit included) took <= 10 ms"
            + $"; audit batches {batchCount:N0}, {(batchCount > 0 ? batchSum / batchCount : 0):N1} records each";
    }

    private (double Within, double All) Share(ServerMetrics before, string histogram) =>
        (Delta(before, histogram + "_bucket", WithinTenMilliseconds), Delta(before, histogram, "_count"));

    /// <summary>The change of every series whose name starts with <paramref name="name"/> and which contains <paramref name="part"/>, summed over their labels.</summary>
    private double Delta(ServerMetrics before, string name, string part) => Samples
        .Where(s => s.Key.StartsWith(name, StringComparison.Ordinal) && s.Key.Contains(part, StringComparison.Ordinal))
        .Sum(s => s.Value - before.Samples.GetValueOrDefault(s.Key));

    private static string Percent((double Within, double All) share) => share.All > 0 ? $"{share.Within / share.All:P1}" : "n/a";
}
