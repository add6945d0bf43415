using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Secr.Cli.Infrastructure;

/// <summary>Tables for people, JSON for scripts (<c>--json</c>); no colour when the output is not a terminal.</summary>
public sealed class Printer(CliContext context)
{
    private IAnsiConsole Console => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(context.Output),
        Ansi = context.Transport is null && !System.Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = context.Transport is null && !System.Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    public void Json(JsonNode? node) => context.Output.WriteLine(node?.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) ?? "null");

    public void Table(IEnumerable<JsonNode?> rows, params (string Header, Func<JsonNode, string?> Cell)[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var (header, _) in columns)
        {
            table.AddColumn(header);
        }

        foreach (var row in rows.OfType<JsonNode>())
        {
            table.AddRow(columns.Select(c => (IRenderable)new Text(c.Cell(row) ?? "-")).ToArray());
        }

        Console.Write(table);
    }

    public void Line(string text) => context.Output.WriteLine(text);
}
