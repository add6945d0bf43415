using Secr.Federation.LoadTest;

/// <summary>
/// The .NET startup-hook entry point (the runtime looks for this name, in the global namespace): when the load test
/// starts a target with this assembly in <c>DOTNET_STARTUP_HOOKS</c>, the target serves its allocation count.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(AllocationProbe.SocketVariable) is { Length: > 0 } path)
        {
            AllocationProbe.Serve(path);
        }
    }
}
