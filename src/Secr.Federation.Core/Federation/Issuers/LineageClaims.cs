using System.Globalization;
using System.Text.Json;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Federation.Bindings;

namespace Secr.Federation.Core.Federation.Issuers;

/// <summary>
/// Which of a platform's claims name the job behind its token: <paramref name="Run"/> the run (the audit's
/// <c>run</c> filter), <paramref name="Details"/> the rest of its lineage, each kept under the platform's own claim
/// name. Only what the platform signed is read; a value that is not a string or a number, or is too long, is left out.
/// </summary>
public sealed record LineageClaims(ClaimPath Run, IReadOnlyList<KeyValuePair<string, ClaimPath>> Details)
{
    public static LineageClaims Of(string run, params string[] details) =>
        new(ClaimPath.Parse(run), [.. details.Select(d => KeyValuePair.Create(d, ClaimPath.Parse(d)))]);

    /// <summary>The job's lineage, or null when the token names no run.</summary>
    public JobLineage? Read(JsonElement claims)
    {
        if (Value(claims, Run) is not { } run)
        {
            return null;
        }

        Dictionary<string, string>? details = null;
        foreach (var (name, path) in Details)
        {
            if (Value(claims, path) is { } value)
            {
                (details ??= new(StringComparer.Ordinal))[name] = value;
            }
        }

        return new JobLineage(run, details);
    }

    private static string? Value(JsonElement claims, ClaimPath path)
    {
        var value = path.Resolve(claims) switch
        {
            { ValueKind: JsonValueKind.String } text => text.GetString(),
            { ValueKind: JsonValueKind.Number } number => number.TryGetInt64(out var whole) ? whole.ToString(CultureInfo.InvariantCulture) : number.GetRawText(),
            _ => null,
        };
        return value is not null && JobLineage.IsKeepable(value) ? value : null;
    }
}
