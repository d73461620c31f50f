using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Contracts;
using NodeStatus = GraphExec.Engine.NodeStatus;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Cli.Features.Runs;

/// <summary>
/// Follows an execution to its end, reporting each node as it starts, completes, fails or is skipped: from the Live hub
/// (replay from the first event, then the stream), with a session's JWT or, for a personal access token, Live tickets from
/// the Api; and from the Api where Live cannot be used (no Live address is configured, Live cannot be reached, or the Api
/// gives no Live tickets). A ticket near its end is replaced and a dropped connection reopened, each time resubscribing after
/// the last event seen, so that nothing is missed. Either way each node's step is reported once and the execution as the
/// Api finally answers it is returned.
/// </summary>
public sealed class ExecutionWatcher(GraphExecApi api, Connection connection, Func<ExecutionEvent, Task> report, TextWriter notes)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How many times in a row a connection may drop before seeing any event, before the Api is asked instead.</summary>
    private const int MaxDrops = 3;

    /// <summary>The last status reported for each node, so that the Api's view adds only what Live did not say.</summary>
    private readonly Dictionary<string, NodeStatus> _reported = new(StringComparer.Ordinal);

    private long _sequence;

    /// <summary>How a connection to the hub ended.</summary>
    private enum Ending
    {
        Completed,
        Dropped,
        Renewing,
    }

    public async Task<JsonElement> WatchAsync(Guid executionId, CancellationToken cancellationToken)
    {
        if (connection.LiveUrl is { } live)
        {
            try
            {
                await StreamAsync(live, executionId, cancellationToken);
            }
            catch (CliFailure failure) when (failure.InnerException is ApiProblem { Status: 404 })
            {
                await notes.WriteLineAsync("note: this Api gives no Live tickets for personal access tokens; following the run through the Api.");
            }
            catch (Exception ex) when (ex is not CliFailure && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                await notes.WriteLineAsync($"note: the Live hub at {live} cannot be used ({ex.GetBaseException().Message}); following the run through the Api.");
            }
        }
        else
        {
            await notes.WriteLineAsync($"note: no Live address (--live-url, {CliEnvironment.LiveUrlVariable}); following the run through the Api.");
        }

        while (true)
        {
            var execution = await api.GetAsync($"api/executions/{executionId}", cancellationToken);
            await ReportNodesAsync(executionId, execution);
            if (ExecutionText.HasEnded(execution))
            {
                return execution;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Streams the hub's events until the execution's last one, over as many connections as it takes: a new one (with a new
    /// ticket) before a ticket ends, and after a connection drops, until connections keep dropping without an event.
    /// </summary>
    private async Task StreamAsync(Uri live, Guid executionId, CancellationToken cancellationToken)
    {
        var drops = 0;
        while (true)
        {
            var pass = await LivePass.GetAsync(api, connection.Token, cancellationToken);
            var before = _sequence;
            switch (await StreamOnceAsync(live, executionId, pass, cancellationToken))
            {
                case Ending.Completed:
                    return;
                case Ending.Dropped when _sequence == before && ++drops >= MaxDrops:
                    throw new HubException($"the connection closed {MaxDrops} times in a row without an event");
                case Ending.Dropped when _sequence > before:
                    drops = 0;
                    break;
            }
        }
    }

    /// <summary>One connection: subscribes after the last event seen and streams until the run ends, the connection closes, or the pass is due for renewal.</summary>
    private async Task<Ending> StreamOnceAsync(Uri live, Guid executionId, LivePass pass, CancellationToken cancellationToken)
    {
        var ended = new TaskCompletionSource<Ending>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(live, ExecutionsHubContract.Path.TrimStart('/')), options =>
            {
                // Any replica serves any connection: no negotiation round trip, WebSocket straight away.
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(pass.AccessToken);
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web))
            .Build();
        hub.On<ExecutionEvent>(ExecutionsHubContract.ExecutionEvent, async executionEvent =>
        {
            await OnLiveEventAsync(executionEvent);
            if (executionEvent.Type == ExecutionEventType.ExecutionCompleted)
            {
                ended.TrySetResult(Ending.Completed);
            }
        });
        hub.Closed += _ =>
        {
            // The hub ends a connection whose token expires or whose session or token ends.
            ended.TrySetResult(Ending.Dropped);
            return Task.CompletedTask;
        };

        await hub.StartAsync(cancellationToken);
        await hub.InvokeAsync(ExecutionsHubContract.Subscribe, executionId, _sequence, cancellationToken);
        using var renewal = pass.RenewAfter is { } renewAfter ? new CancellationTokenSource(renewAfter) : new CancellationTokenSource();
        await using var renewing = renewal.Token.Register(() => ended.TrySetResult(Ending.Renewing));
        return await ended.Task.WaitAsync(cancellationToken);
    }

    private async Task OnLiveEventAsync(ExecutionEvent executionEvent)
    {
        if (executionEvent.Sequence <= _sequence)
        {
            // Already seen on an earlier connection.
            return;
        }

        _sequence = executionEvent.Sequence;
        if (executionEvent.NodeId is { } nodeId && Enum.TryParse<NodeStatus>(executionEvent.Status, out var status))
        {
            _reported[nodeId] = status;
        }

        await report(executionEvent);
    }

    /// <summary>Reports each node whose status the Api shows and that was not reported yet, as the event Live would have sent.</summary>
    private async Task ReportNodesAsync(Guid executionId, JsonElement execution)
    {
        if (!execution.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var node in nodes.EnumerateArray())
        {
            if (node.Text("nodeId") is not { } nodeId || !Enum.TryParse<NodeStatus>(node.Text("status"), out var status)
                || status == NodeStatus.Pending || (_reported.TryGetValue(nodeId, out var reported) && reported == status))
            {
                continue;
            }

            _reported[nodeId] = status;
            var type = status switch
            {
                NodeStatus.Running => ExecutionEventType.NodeStarted,
                NodeStatus.Succeeded => ExecutionEventType.NodeCompleted,
                NodeStatus.Skipped => ExecutionEventType.NodeSkipped,
                _ => ExecutionEventType.NodeFailed,
            };
            await report(new ExecutionEvent(
                executionId, ++_sequence, type, nodeId, status.ToString(),
                Property(node, "outputs"), Property(node, "error"), TimeOf(node)));
        }
    }

    private static DateTimeOffset TimeOf(JsonElement node)
    {
        foreach (var name in (string[])["finishedAt", "startedAt"])
        {
            if (node.TryGetProperty(name, out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var time))
            {
                return time;
            }
        }

        return DateTimeOffset.UtcNow;
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;
}
