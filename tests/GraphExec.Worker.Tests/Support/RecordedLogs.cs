using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GraphExec.Worker.Tests.Support;

/// <summary>Every log line of the test Worker from Debug up, message and exception, to search for what must never be logged.</summary>
public sealed class RecordedLogs : ILoggerProvider
{
    private const int MaxLines = 100_000;

    private readonly ConcurrentQueue<string> _lines = new();

    public static RecordedLogs Instance { get; } = new();

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(RecordedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
