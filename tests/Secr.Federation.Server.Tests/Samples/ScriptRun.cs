namespace Secr.Federation.Server.Tests.Samples;

/// <summary>One run of a sample's script and of the workload command it was to start with the secrets.</summary>
public sealed record ScriptRun(ShellResult Result, RecordingCommand Command)
{
    public const string NoBindingMatched = "error: 400 binding.none_matched: No trust binding accepts this token.";

    public void AssertTheCommandGotTheProdSecrets()
    {
        Assert.True(Result.Exit == 0, Result.All);
        Assert.Equal(SampleServer.ProdSecrets, Command.Recorded());
        Leaks.AssertNoneOutsideMasks(Result, SampleServer.ProdSecrets.Values);
    }

    /// <summary>Refused at the token exchange, saying why, before the command could start.</summary>
    public void AssertRefusedBeforeTheCommand()
    {
        Assert.Equal(1, Result.Exit);
        Assert.Contains(NoBindingMatched, Result.Err);
        Assert.Empty(Command.Recorded());
        Leaks.AssertNoneOutsideMasks(Result, SampleServer.ProdSecrets.Values);
    }
}
