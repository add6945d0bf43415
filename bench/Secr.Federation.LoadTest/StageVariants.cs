namespace Secr.Federation.LoadTest;

/// <summary>One stage variant of the server (<see cref="ServerStages"/>) as the load test drives it.</summary>
/// <param name="MachineToken">A machine token of the variant's own database, for grants; null where the variant admits nothing.</param>
public sealed record StageVariant(ServerStages.Stage Stage, Target Target, HttpClient Client, string? MachineToken)
{
    public string Name => Stage switch
    {
        ServerStages.Stage.SuspendingAudit => "server, audit acknowledged after a wait",
        ServerStages.Stage.InMemoryAudit => "server, audit in memory",
        ServerStages.Stage.ReferenceAdmission => "server, reference admission",
        _ => throw new InvalidOperationException($"{Stage} is the server itself, not a variant"),
    };

    /// <summary>Whether the variant runs the server's admission, and so answers a machine-token grant.</summary>
    public bool Admits => Stage != ServerStages.Stage.ReferenceAdmission;
}

/// <summary>
/// The variants of one run, in the order their budget subtracts them (each takes one more stage out than the one
/// before); disposing them stops their processes.
/// </summary>
public sealed class StageVariants : IAsyncDisposable
{
    public static readonly ServerStages.Stage[] Order = [ServerStages.Stage.SuspendingAudit, ServerStages.Stage.InMemoryAudit, ServerStages.Stage.ReferenceAdmission];

    private readonly List<StageVariant> _variants = [];

    public IReadOnlyList<StageVariant> All => _variants;

    public StageVariant this[ServerStages.Stage stage] => _variants.Single(v => v.Stage == stage);

    public void Add(StageVariant variant) => _variants.Add(variant);

    public async ValueTask DisposeAsync()
    {
        foreach (var variant in _variants)
        {
            variant.Client.Dispose();
            await variant.Target.DisposeAsync();
        }
    }
}
