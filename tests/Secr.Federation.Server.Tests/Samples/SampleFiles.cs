using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Samples;

/// <summary>The files under samples/, read as the tests' source of truth for commands, scripts and manifests.</summary>
public static class SampleFiles
{
    public static string PathOf(string sample, string file) => Path.Combine(RepositoryRoot.Location, "samples", sample, file);

    public static string Read(string sample, string file) => File.ReadAllText(PathOf(sample, file));

    /// <summary>The README's commands starting with <paramref name="prefix"/>, each with its backslash-continued lines.</summary>
    public static IReadOnlyList<string> ReadmeCommands(string sample, string prefix)
    {
        var commands = new List<string>();
        var lines = Read(sample, "README.md").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var command = new List<string> { lines[i] };
            while (command[^1].TrimEnd().EndsWith('\\') && i + 1 < lines.Length)
            {
                command.Add(lines[++i]);
            }

            commands.Add(string.Join('\n', command));
        }

        return commands;
    }

    /// <summary>
    /// The items of the YAML block list under the first <c>key:</c> line (e.g. a job's <c>script:</c>), after the
    /// <c>under:</c> line when given (a job's name): enough YAML for the samples' own files, which keep such lists to
    /// one plain line per item.
    /// </summary>
    public static IReadOnlyList<string> YamlList(string sample, string file, string key, string? under = null)
    {
        var lines = Section(sample, file, under);
        var start = Array.FindIndex(lines, line => line.Trim() == key + ":");
        Assert.True(start >= 0, $"{file} has no '{key}:'{(under is null ? "" : $" under '{under}:'")}");
        return lines.Skip(start + 1).TakeWhile(line => line.TrimStart().StartsWith("- ", StringComparison.Ordinal))
            .Select(line => line.TrimStart()[2..]).ToList();
    }

    /// <summary>The value of the first <c>key: value</c> line in a YAML file (after the <c>under:</c> line when given), unquoted.</summary>
    public static string YamlValue(string sample, string file, string key, string? under = null)
    {
        var line = Section(sample, file, under).FirstOrDefault(l => l.TrimStart().TrimStart('-', ' ').StartsWith(key + ":", StringComparison.Ordinal));
        Assert.True(line is not null, $"{file} has no '{key}:'{(under is null ? "" : $" under '{under}:'")}");
        return line[(line.IndexOf(':') + 1)..].Split(" #")[0].Trim().Trim('"');
    }

    /// <summary>The file's lines after the first <c>under:</c> line (a job of a pipeline or workflow), or all of them.</summary>
    private static string[] Section(string sample, string file, string? under)
    {
        var lines = Read(sample, file).Split('\n');
        if (under is null)
        {
            return lines;
        }

        var start = Array.FindIndex(lines, line => line.Trim() == under + ":");
        Assert.True(start >= 0, $"{file} has no '{under}:'");
        return lines[(start + 1)..];
    }

    /// <summary>A container's environment variable in a manifest: the <c>value:</c> line after <c>- name: NAME</c>.</summary>
    public static string YamlEnv(string sample, string file, string name)
    {
        var lines = Read(sample, file).Split('\n');
        var at = Array.FindIndex(lines, line => line.Trim() == $"- name: {name}");
        Assert.True(at >= 0 && lines[at + 1].Trim().StartsWith("value:", StringComparison.Ordinal), $"{file} sets no {name}");
        return lines[at + 1].Trim()["value:".Length..].Trim().Trim('"');
    }
}
