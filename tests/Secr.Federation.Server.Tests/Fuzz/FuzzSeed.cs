using System.IO.Hashing;
using System.Text;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>
/// The suite's one source of chance: a fixed seed, or <c>SECR_FUZZ_SEED</c> to try another. Each route draws from a
/// generator of its own, seeded by the seed and the route's name, so a route's garbage stays the same when other
/// routes come and go.
/// </summary>
public static class FuzzSeed
{
    public const string Variable = "SECR_FUZZ_SEED";

    public static int Value { get; } = int.TryParse(Environment.GetEnvironmentVariable(Variable), out var seed) ? seed : 17;

    public static Random For(string name) => new((int)XxHash32.HashToUInt32(Encoding.UTF8.GetBytes($"{Value}:{name}")));

    /// <summary>How to replay a run, for the first line of a failure message.</summary>
    public static string Replay => $"fuzz seed {Value} ({Variable}={Value} replays it)";
}
