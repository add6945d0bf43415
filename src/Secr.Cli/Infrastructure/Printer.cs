using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Secr.Cli.Infrastructure;

/// <summary>Tables for people, JSON for scripts (<c>--json</c>); colour only at a terminal (<see cref="CliContext.Colour"/>).</summary>
public sealed class Printer(CliContext context)
{
    /// <summary>
    /// JSON as people and scripts read it: '+', '&amp;' and non-ASCII letters stay as they are instead of <c>\u002B</c>;
    /// the output goes to a terminal or a pipe, never into an HTML page, so HTML-safe escaping buys nothing here.
    /// </summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions Indented = new(Relaxed) { WriteIndented = true };

    private IAnsiConsole Console
    {
        get
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(context.Output),
                Ansi = context.Colour ? AnsiSupport.Detect : AnsiSupport.No,
                ColorSystem = context.Colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });

            // Wrap to the terminal; in a pipe or a log keep each row on one line, so grep and awk see whole rows.
            console.Profile.Width = context.Terminal?.Profile.Width ?? UnwrappedWidth;
            return console;
        }
    }

    private const int UnwrappedWidth = 4096;

    public void Json(JsonNode? node) => context.Output.WriteLine(node?.ToJsonString(Indented) ?? "null");

    /// <summary>JSON when <paramref name="json"/>, otherwise the table.</summary>
    public void List(JsonNode? rows, bool json, params (string Header, Func<JsonNode, string?> Cell)[] columns)
    {
        if (json)
        {
            Json(rows);
        }
        else
        {
            Table(rows!.AsArray(), columns);
        }
    }

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

    /// <summary>
    /// Rows as a report prints them: a header, then columns aligned by padding, two spaces apart, no rules or borders
    /// (the posture report's shape); trailing spaces trimmed.
    /// </summary>
    public static List<string> Aligned(IEnumerable<string[]> rows, params string[] headers)
    {
        var lines = rows.Prepend(headers).ToList();
        var widths = headers.Select((_, column) => lines.Max(l => l[column].Length)).ToArray();
        return lines.Select(l => string.Join("  ", l.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd()).ToList();
    }

    /// <summary>One record as aligned "field value" lines, or JSON when <paramref name="json"/>.</summary>
    public void Details(JsonNode record, bool json, params string[] fields)
    {
        if (json)
        {
            Json(record);
            return;
        }

        var width = fields.Max(f => f.Length) + 2;
        foreach (var field in fields)
        {
            context.Output.WriteLine($"{field.PadRight(width)}{Text(record[field]) ?? "-"}");
        }
    }

    /// <summary>A value as people read it: strings bare, lists comma-separated, objects as their set members (<c>time_window=08:00-18:00</c>).</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => array.Count == 0 ? null : string.Join(", ", array.Select(Text)),
        JsonObject obj => obj.Select(m => (m.Key, Value: Text(m.Value))).Where(m => m.Value is not null).Select(m => $"{m.Key}={m.Value}").ToList() is { Count: > 0 } set
            ? string.Join("; ", set)
            : null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    public void Line(string text) => context.Output.WriteLine(text);

    public void Done(string text, int indent = 0) => Styled("✓", "green", text, indent);

    public void Warning(string text) => Styled("⚠", "yellow", text, 0);

    /// <summary>The defaults a command used that have consequences, one warning each (none in JSON, which shows the values).</summary>
    public void Defaults(bool json, params string?[] notes)
    {
        foreach (var note in json ? [] : notes.OfType<string>())
        {
            Warning(note);
        }
    }

    private void Styled(string mark, string colour, string text, int indent)
    {
        var margin = new string(' ', indent);
        if (context.Colour)
        {
            Console.MarkupLine($"{margin}[{colour}]{mark}[/] {Markup.Escape(text)}");
        }
        else
        {
            context.Output.WriteLine($"{margin}{mark} {text}");
        }
    }
}
