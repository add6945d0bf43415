using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Telemetry;

namespace Secr.Federation.Data.Governance;

/// <summary>
/// The whole inventory, graded, held for at most <see cref="MaxAge"/> so the <c>min-grade</c> gate costs every request a
/// dictionary lookup: a fix (or a new finding) reaches the gate within that time on every node. An identity created
/// since the last grading is graded at once by grading again. One grading runs at a time; requests that arrive
/// meanwhile wait for it rather than start their own.
/// </summary>
public sealed class CurrentGrades(NhiInventory inventory, SecrMetrics metrics, TimeProvider clock) : ICurrentGrades, IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private readonly CacheMeter _meter = metrics.Cache("grades");
    private readonly SemaphoreSlim _grading = new(1, 1);
    private volatile Graded? _graded;

    public async ValueTask<InventoryItem?> FindAsync(string type, string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var graded = _graded is { } held && now - held.At < MaxAge ? held : await GradeAsync(g => now - g.At < MaxAge, cancellationToken);
        if (graded.Items.TryGetValue((type, id), out var item))
        {
            _meter.Hit();
            return item;
        }

        // Unknown to that grading, so created since: graded now rather than admitted or refused blind.
        return (await GradeAsync(g => g.Generation > graded.Generation, cancellationToken)).Items.GetValueOrDefault((type, id));
    }

    public void Dispose() => _grading.Dispose();

    /// <summary>The grading another request has just taken, when it will do; else a new one.</summary>
    private async Task<Graded> GradeAsync(Func<Graded, bool> willDo, CancellationToken cancellationToken)
    {
        await _grading.WaitAsync(cancellationToken);
        try
        {
            if (_graded is { } taken && willDo(taken))
            {
                return taken;
            }

            _meter.Miss();
            var at = clock.GetUtcNow();
            var items = await inventory.ListAsync(cancellationToken);
            var graded = new Graded(items.ToDictionary(i => (i.Identity.Type, i.Identity.Id)), at, (_graded?.Generation ?? 0) + 1);
            _graded = graded;
            return graded;
        }
        finally
        {
            _grading.Release();
        }
    }

    private sealed record Graded(IReadOnlyDictionary<(string Type, string Id), InventoryItem> Items, DateTimeOffset At, long Generation);
}
