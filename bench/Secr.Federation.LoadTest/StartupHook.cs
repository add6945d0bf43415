using Secr.Federation.LoadTest;

/// <summary>
/// The .NET startup-hook entry point (the runtime looks for this name, in the global namespace): when the load test
/// starts a target with this assembly in <c>DOTNET_STARTUP_HOOKS</c>, the target serves its runtime figures
/// (<see cref="RuntimeProbe"/>), and a server started as a stage variant has that stage taken out (<see cref="ServerStages"/>).
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(RuntimeProbe.SocketVariable) is { Length: > 0 } path)
        {
            RuntimeProbe.Serve(path);
        }

        if (Environment.GetEnvironmentVariable(ServerStages.Variable) is { Length: > 0 } stage)
        {
            ServerStages.Install(Enum.Parse<ServerStages.Stage>(stage));
        }
    }
}
