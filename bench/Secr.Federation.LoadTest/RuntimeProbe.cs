using System.Net.Sockets;
using System.Runtime;

namespace Secr.Federation.LoadTest;

/// <summary>What a target's runtime has done so far: managed bytes allocated, methods the JIT compiled and its time compiling them.</summary>
public readonly record struct RuntimeReading(long AllocatedBytes, long CompiledMethods, TimeSpan CompilationTime)
{
    /// <summary>
    /// Bytes allocated from one reading to the next; null when unknown. The runtime's total can go down: under server
    /// GC's dynamic heap count (DATAS, on by default) it leaves out a heap decommissioned in a quiet spell
    /// (dotnet/runtime#131069, fixed after .NET 10), the likely cause of a lightly loaded open-loop run that once read
    /// −16.8 KiB per request. A drop is not a figure.
    /// </summary>
    public static long? AllocatedBetween(RuntimeReading? before, RuntimeReading? after) =>
        after?.AllocatedBytes - before?.AllocatedBytes is >= 0 and var bytes ? bytes : null;
}

/// <summary>
/// A target process's <see cref="RuntimeReading"/>: bytes allocated (<see cref="GC.GetTotalAllocatedBytes"/>, the figure
/// behind the <c>System.Runtime</c> counter <c>dotnet.gc.heap.total_allocated</c>), read before and after a run for bytes
/// allocated per request, and the JIT's work (<see cref="JitInfo"/>), which tells a warm-up when the target has stopped
/// compiling and a run how much of its CPU went to compiling. The load test loads this assembly into each target as a
/// .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>), so the real server is measured as built, and the hook answers each
/// connection on a Unix socket with the figures. The listening thread sleeps in accept: it costs the target nothing
/// between readings.
/// </summary>
public static class RuntimeProbe
{
    public const string SocketVariable = "SECR_BENCH_RUNTIME_PROBE";

    private const int Figures = 3;

    public static void Serve(string path)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        new Thread(() =>
        {
            while (true)
            {
                using var reader = listener.Accept();
                long[] figures = [GC.GetTotalAllocatedBytes(precise: true), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime().Ticks];
                reader.Send(figures.SelectMany(BitConverter.GetBytes).ToArray());
            }
        }) { IsBackground = true, Name = "secr bench runtime probe" }.Start();
    }

    /// <summary>The target's figures so far; null when it has no probe (the hook did not load).</summary>
    public static RuntimeReading? Read(string path)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            var bytes = new byte[Figures * sizeof(long)];
            for (var read = 0; read < bytes.Length;)
            {
                var got = socket.Receive(bytes, read, bytes.Length - read, SocketFlags.None);
                read += got > 0 ? got : throw new SocketException((int)SocketError.ConnectionReset);
            }

            long Figure(int index) => BitConverter.ToInt64(bytes, index * sizeof(long));
            return new RuntimeReading(Figure(0), Figure(1), TimeSpan.FromTicks(Figure(2)));
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
