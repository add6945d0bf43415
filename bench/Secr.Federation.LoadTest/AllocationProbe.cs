using System.Net.Sockets;

namespace Secr.Federation.LoadTest;

/// <summary>
/// Bytes a target process has allocated so far (<see cref="GC.GetTotalAllocatedBytes"/>, the figure behind the
/// <c>System.Runtime</c> counter <c>dotnet.gc.heap.total_allocated</c>), read before and after a run for bytes
/// allocated per request. The load test loads this assembly into each target as a .NET startup hook
/// (<c>DOTNET_STARTUP_HOOKS</c>), so the real server is measured as built, and the hook answers each connection on a
/// Unix socket with the count. The listening thread sleeps in accept: it costs the target nothing between readings.
/// </summary>
public static class AllocationProbe
{
    public const string SocketVariable = "SECR_BENCH_ALLOCATION_PROBE";

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
                reader.Send(BitConverter.GetBytes(GC.GetTotalAllocatedBytes(precise: true)));
            }
        }) { IsBackground = true, Name = "secr bench allocation probe" }.Start();
    }

    /// <summary>The target's bytes allocated so far; null when it has no probe (the hook did not load).</summary>
    public static long? Read(string path)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            var count = new byte[sizeof(long)];
            for (var read = 0; read < count.Length;)
            {
                var got = socket.Receive(count, read, count.Length - read, SocketFlags.None);
                read += got > 0 ? got : throw new SocketException((int)SocketError.ConnectionReset);
            }

            return BitConverter.ToInt64(count);
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
