using System.Text.Json;
using System.Threading.Channels;
using GraphExec.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace GraphExec.Live.Tests;

/// <summary>A SignalR client of one Live replica that collects the events it is sent.</summary>
public sealed class Watcher : IAsyncDisposable
{
    /// <summary>Only to end a hung test; nothing is timed.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Watcher(HubConnection connection)
    {
        Connection = connection;
        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    /// <summary>Completes when the connection closes, whoever closed it.</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Connects to the hub of <paramref name="live"/> with <paramref name="token"/> (in the query, as browsers send it).
    /// With <paramref name="skipNegotiation"/>, straight over a WebSocket, as plain WebSocket clients do.
    /// </summary>
    public static Task<Watcher> ConnectAsync(ServiceProcess live, string? token, bool skipNegotiation = false) =>
        ConnectAsync(new Uri(live.BaseAddress, "hubs/executions"), token, skipNegotiation);

    /// <summary>Connects to the hub at <paramref name="hub"/>; see the overload for the rest.</summary>
    public static async Task<Watcher> ConnectAsync(Uri hub, string? token, bool skipNegotiation = false)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, options =>
            {
                options.AccessTokenProvider = () => Task.FromResult(token);
                if (skipNegotiation)
                {
                    options.SkipNegotiation = true;
                    options.Transports = HttpTransportType.WebSockets;
                }
            })
            .Build();
        var watcher = new Watcher(connection);
        connection.On<JsonElement>("ExecutionEvent", executionEvent => watcher._events.Writer.TryWrite(executionEvent));
        try
        {
            await connection.StartAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return watcher;
    }

    public Task SubscribeAsync(Guid executionId, long afterSequence = 0) =>
        Connection.InvokeAsync("Subscribe", executionId, afterSequence);

    /// <summary>The events received, up to and with <c>ExecutionCompleted</c>.</summary>
    public async Task<List<JsonElement>> UntilCompletedAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        List<JsonElement> events = [];
        try
        {
            do
            {
                events.Add(await _events.Reader.ReadAsync(patience.Token));
            }
            while (events[^1].GetProperty("type").GetString() != "ExecutionCompleted");
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No ExecutionCompleted within {Patience}; received {events.Count} events.{Environment.NewLine}{TestRun.Output}");
        }

        return events;
    }

    /// <summary>The next event received.</summary>
    public async Task<JsonElement> NextAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            return await _events.Reader.ReadAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No event within {Patience}.{Environment.NewLine}{TestRun.Output}");
            throw;
        }
    }

    /// <summary>Events received so far and not yet read.</summary>
    public List<JsonElement> Pending()
    {
        List<JsonElement> events = [];
        while (_events.Reader.TryRead(out var executionEvent))
        {
            events.Add(executionEvent);
        }

        return events;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
