namespace Secr.Federation.Core.Audit;

/// <summary>
/// The CI run or pod a workload's token came from, as its platform's token named it: <see cref="Run"/> is the run
/// (GitHub <c>run_id</c>, GitLab <c>pipeline_id</c>, the pod's uid), <see cref="Details"/> the rest of its lineage by
/// the platform's own claim names (<c>run_attempt</c>, <c>check_run_id</c>, <c>job_workflow_ref</c>, <c>sha</c>;
/// <c>job_id</c>; <c>pod</c>). The exchange's audit record, the access token and every secrets request made with that
/// token carry it, so one filter (<c>run</c>) finds everything a job did.
/// </summary>
public sealed record JobLineage(string Run, IReadOnlyDictionary<string, string>? Details)
{
    /// <summary>The longest value kept: a platform's identifiers and refs are far shorter, so a longer one is left out rather than stored.</summary>
    public const int MaxValueLength = 256;

    /// <summary>Whether <paramref name="value"/> may be kept: not empty, not too long, and without control characters (it is shown in terminals and logs).</summary>
    public static bool IsKeepable(string value) =>
        value.Length is > 0 and <= MaxValueLength && !value.AsSpan().ContainsAnyInRange('\0', '\u001f') && !value.Contains('\u007f');
}
