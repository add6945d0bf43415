using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Secr.Federation.Server.Tests.Harness;

/// <summary>
/// Every log line exactly as the server's console would print it: the console formatter the server configured
/// (by name, with its options and the request's scopes), writing into memory instead of standard output, which
/// tests running in parallel share. Register it with <see cref="Register"/>, read it with <see cref="Of"/>.
/// </summary>
public sealed class FormattedLogs(IOptionsMonitor<ConsoleLoggerOptions> console, IEnumerable<ConsoleFormatter> formatters) : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyCollection<string> Lines => _lines;

    public static void Register(IServiceCollection services) => services.AddSingleton<ILoggerProvider, FormattedLogs>();

    public static FormattedLogs Of(SecrServer server) => server.Services.GetServices<ILoggerProvider>().OfType<FormattedLogs>().Single();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>The formatter the console logger would pick: an unnamed or unknown one fails the test.</summary>
    private ConsoleFormatter Formatter => formatters.Single(f => f.Name == console.CurrentValue.FormatterName);

    private sealed class Logger(string category, FormattedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logs._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using var line = new StringWriter();
            logs.Formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), logs._scopes, line);
            logs._lines.Enqueue(line.ToString());
        }
    }
}
