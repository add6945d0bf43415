using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Secr.Federation.Server.Tests.Harness;
using Xunit.Abstractions;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>
/// Sends fuzzed requests one at a time and judges each: the answer (<see cref="ResponseRules"/>), the log lines it
/// caused (no error, so no unhandled exception), and the database (unchanged unless a genuine caller succeeded).
/// Collects every problem, so one run reports them all, and says how to replay it.
/// </summary>
public sealed class FuzzRun : IAsyncDisposable
{
    private const int Shown = 100;

    private readonly SecrServer _server;
    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, (int Count, string Example)> _problems = [];
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly Dictionary<(string Caller, int Status), int> _answers = [];
    private DatabaseWatch _database = null!;
    private int _sent;
    private int _refusedByKestrel;

    private FuzzRun(SecrServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    /// <summary>How many requests changed the database (genuine callers' successes, or problems).</summary>
    public int Changes { get; private set; }

    public static async Task<FuzzRun> StartAsync(SecrServer server, ITestOutputHelper output)
    {
        var run = new FuzzRun(server, output);
        run._database = await DatabaseWatch.OpenAsync(server);
        return run;
    }

    public async Task SendAsync(FuzzRoute route, FuzzCaller caller, FuzzCase @case)
    {
        if (KestrelPath(@case.Target) is not { } path)
        {
            _refusedByKestrel++;
            return;
        }

        var logged = _server.Logs.Lines.Count;
        var answer = await AnswerAsync(caller, @case, path);
        _sent++;
        _answers[(caller.Name, answer.Status)] = _answers.GetValueOrDefault((caller.Name, answer.Status)) + 1;
        var changes = await _database.ChangesAsync();
        Changes += changes.Count > 0 ? 1 : 0;

        var found = new List<string>();
        var details = new List<string>();
        if (ResponseRules.Violation(route, @case, caller, answer, path.Value!) is { } violation)
        {
            found.Add(violation);
        }

        // A change is the request's to make only when a genuine caller was honoured, or was authorised and found
        // nothing (a workload reading a key that is not there is a use of its token, audited as allowed, not a refusal).
        if (changes.Count > 0 && !(caller.Genuine && answer.Status is (>= 200 and < 400) or StatusCodes.Status404NotFound))
        {
            found.Add("changed the database");
            details.Add(string.Join(", ", changes));
        }

        var errors = _server.Logs.Lines.Skip(logged).Where(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal)).ToList();
        if (errors.Count > 0)
        {
            found.Add("logged an error");
            details.Add(Shorten(errors[0].ReplaceLineEndings(" ↵ "), 700));
        }

        if (found.Count > 0)
        {
            // One entry per route, kind and problem, with its first example: the same flaw found by six callers is one finding.
            var problem = $"{route.Key} [{@case.Kind}]: {string.Join("; ", found)}";
            var example = $"{caller.Name}: {@case.Method} {Shorten(@case.Target)} → {answer.Status} {answer.ContentType}; {string.Join("; ", details.Append("body: " + Shorten(answer.Body)))}";
            _problems[problem] = _problems.TryGetValue(problem, out var seen) ? (seen.Count + 1, seen.Example) : (1, example);
        }
    }

    /// <summary>Fails with every problem found (the first <see cref="Shown"/>), after the seed that replays them.</summary>
    public void AssertNoProblems(string what)
    {
        _output.WriteLine($"{what}: {_sent} requests ({Changes} changed the database) in {_elapsed.Elapsed.TotalSeconds:F1} s, {FuzzSeed.Replay}; " +
            $"not sent: {_refusedByKestrel} whose path Kestrel refuses itself. Answers by caller:");
        foreach (var byCaller in _answers.GroupBy(a => a.Key.Caller))
        {
            _output.WriteLine($"  {byCaller.Key}: " + string.Join(", ", byCaller.OrderBy(a => a.Key.Status).Select(a => $"{a.Key.Status} ×{a.Value}")));
        }

        var problems = _problems.Select(p => $"{p.Key} (×{p.Value.Count})\n    e.g. {p.Value.Example}").ToList();
        Assert.True(problems.Count == 0,
            $"{what}: {FuzzSeed.Replay} found {problems.Count} problems in {_sent} requests:\n" + string.Join("\n", problems.Take(Shown)));
    }

    /// <summary>
    /// Sends the request as the server reads it off the wire, which an <see cref="HttpClient"/> would tidy first: the
    /// path as Kestrel hands it on (<see cref="KestrelPath"/>), the query as written.
    /// </summary>
    private async Task<FuzzAnswer> AnswerAsync(FuzzCaller caller, FuzzCase @case, PathString path)
    {
        var query = @case.Target.IndexOf('?');
        var http = await _server.Server.SendAsync(context =>
        {
            var request = context.Request;
            request.Method = @case.Method;
            request.Scheme = "http";
            request.Host = new HostString("localhost");
            request.Path = path;
            request.QueryString = new QueryString(query < 0 ? "" : @case.Target[query..]);
            context.Features.Get<IHttpRequestFeature>()!.RawTarget = @case.Target;
            if (caller.BearerToken is { } token)
            {
                request.Headers.Authorization = $"Bearer {token}";
            }

            if (caller.Cookie is { } cookie)
            {
                request.Headers.Cookie = cookie;
            }

            if (@case.Body is { } body)
            {
                var form = body.ContentType == "application/x-www-form-urlencoded" && caller.FormField is not null;
                byte[] bytes = form ? [.. Encoding.ASCII.GetBytes(caller.FormField + "&"), .. body.Bytes] : body.Bytes;
                request.Body = new MemoryStream(bytes);
                request.ContentLength = bytes.Length;
                request.ContentType = body.ContentType;
            }
        });

        using var reader = new StreamReader(http.Response.Body);
        return new FuzzAnswer(http.Response.StatusCode, http.Response.ContentType?.Split(';')[0].Trim(), await reader.ReadToEndAsync(), http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null);
    }

    /// <summary>
    /// The path as Kestrel hands it to the application: percent-decoded but for encoded slashes and invalid UTF-8 (left
    /// escaped), then dot segments removed (RFC 3986 §5.2.4). Null where Kestrel answers 400 itself (a NUL in the path),
    /// a request the application never sees.
    /// </summary>
    private static PathString? KestrelPath(string target)
    {
        var query = target.IndexOf('?');
        PathString decoded;
        try
        {
            decoded = PathString.FromUriComponent(query < 0 ? target : target[..query]);
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        var segments = new List<string>();
        var parts = decoded.Value!.Split('/')[1..];
        for (var i = 0; i < parts.Length; i++)
        {
            var dots = parts[i] is "." or "..";
            if (parts[i] == ".." && segments.Count > 0)
            {
                segments.RemoveAt(segments.Count - 1);
            }

            if (!dots)
            {
                segments.Add(parts[i]);
            }
            else if (i == parts.Length - 1)
            {
                // "/a/b/.." is "/a/": the path keeps its trailing slash.
                segments.Add("");
            }
        }

        return new PathString("/" + string.Join("/", segments));
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static string Shorten(string text, int length = 200) => text.Length <= length ? text : text[..length] + $"…({text.Length} chars)";
}
