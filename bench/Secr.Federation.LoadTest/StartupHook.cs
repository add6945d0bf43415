using Secr.Federation.LoadTest;

/// <summary>
/// The .NET startup-hook entry point (the runtime looks for this name, in the global namespace): when the load test
/// starts a target with this assembly in <c>DOTNET_STARTUP_HOOKS</c>, the target serves its runtime figures (<see cref="RuntimeProbe"/>).
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(RuntimeProbe.SocketVariable) is { Length: > 0 } path)
        {
            RuntimeProbe.Serve(path);
        }
    }
}
