namespace Secr.Federation.Server.Tests.Harness;

/// <summary>The repository's root (where <c>Secr.Federation.sln</c> is), found upwards from the test binaries.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Secr.Federation.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found above " + AppContext.BaseDirectory);
    });

    public static string Location => Root.Value;
}
