namespace Secr.Federation.Server.Tests.Samples;

/// <summary>
/// Stands in for the workload's own program (./deploy.sh, a server, a batch job): it saves each of
/// <see cref="SampleServer.ProdSecrets"/>' variables it was started with to a file named after it, so a test compares
/// the values without anything printing them.
/// </summary>
public sealed class RecordingCommand
{
    private readonly string _recorded;

    public RecordingCommand(string path)
    {
        Path = path;
        _recorded = Directory.CreateTempSubdirectory("secr-recorded-").FullName;
        var saves = SampleServer.ProdSecrets.Keys.Select(key => $"[ -z \"${{{key}+set}}\" ] || printf %s \"${key}\" > '{_recorded}/{key}'\n");
        Shell.WriteExecutable(path, "#!/bin/sh\n" + string.Concat(saves));
    }

    public string Path { get; }

    /// <summary>The variables the command was started with, by name; empty when it never ran.</summary>
    public Dictionary<string, string> Recorded() =>
        Directory.GetFiles(_recorded).ToDictionary(file => System.IO.Path.GetFileName(file), File.ReadAllText);
}
