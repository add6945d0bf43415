namespace Secr.Federation.Server.Tests.Samples;

/// <summary>Reads GITHUB_ENV and GITHUB_OUTPUT files as the runner does: <c>NAME=value</c> lines or <c>NAME&lt;&lt;DELIMITER</c> blocks.</summary>
public static class GitHubFileCommands
{
    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>();
        if (!File.Exists(path))
        {
            return values;
        }

        var lines = File.ReadAllText(path).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var heredoc = lines[i].IndexOf("<<", StringComparison.Ordinal);
            if (heredoc < 0)
            {
                var equals = lines[i].IndexOf('=');
                values[lines[i][..equals]] = lines[i][(equals + 1)..];
                continue;
            }

            var delimiter = lines[i][(heredoc + 2)..];
            var end = Array.IndexOf(lines, delimiter, i + 1);
            Assert.True(end > i, $"{path}: no closing {delimiter}");
            values[lines[i][..heredoc]] = string.Join('\n', lines[(i + 1)..end]);
            i = end;
        }

        return values;
    }
}
