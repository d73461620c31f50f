using GraphExec.Contracts;
using GraphExec.Live.Features.Connections;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Npgsql;
using StackExchange.Redis;

namespace GraphExec.Live.Features.Executions;

/// <summary>
/// The live view of executions. A client calls <c>Subscribe(executionId, afterSequence)</c> and receives, as calls of
/// <c>ExecutionEvent</c>, every event after that sequence: first those already stored, then the new ones as they happen,
/// gap-free and without duplicates, on whichever replica it is connected to. The path and the method names are in
/// <see cref="ExecutionsHubContract"/>, which the Web UI reads too.
/// </summary>
[Authorize]
public sealed partial class ExecutionsHub(
    ExecutionLookup executions, LiveFeeds feeds, Backlog backlog, SessionConnections sessions, LiveMetrics metrics, ILogger<ExecutionsHub> logger)
    : Hub
{
    /// <summary>The same answer for an unknown execution and another user's, so that ids cannot be probed.</summary>
    public const string NotFound = "There is no such execution.";

    public const string Unavailable = "Live events are unavailable right now; try again in a few seconds.";

    [HubMethodName(ExecutionsHubContract.Subscribe)]
    public async Task Subscribe(Guid executionId, long afterSequence)
    {
        if (afterSequence < 0)
        {
            throw new HubException("afterSequence must be 0 or more.");
        }

        var ownerId = Context.User!.OwnerId();
        var aborted = Context.ConnectionAborted;
        try
        {
            if (!await executions.IsOwnerAsync(ownerId, executionId, aborted))
            {
                throw new HubException(NotFound);
            }

            var subscription = await feeds.SubscribeAsync(Context.ConnectionId, ownerId, executionId, afterSequence, Context.Abort, aborted);
            var replayed = await subscription.Replayed;

            // Nothing in the backlog at all: the run has not started yet, or it ended without live events or long ago.
            if (replayed == 0 && !subscription.IsCompleted
                && !await backlog.ExistsAsync(ownerId, executionId)
                && await executions.StoredCompletionAsync(ownerId, executionId, afterSequence, aborted) is { } completion)
            {
                subscription.Offer(completion);
            }
        }
        catch (Exception exception) when (exception is RedisException or NpgsqlException or TimeoutException)
        {
            LogUnavailable(logger, exception, executionId);
            feeds.Unsubscribe(Context.ConnectionId, executionId);
            throw new HubException(Unavailable);
        }
    }

    [HubMethodName(ExecutionsHubContract.Unsubscribe)]
    public void Unsubscribe(Guid executionId) => feeds.Unsubscribe(Context.ConnectionId, executionId);

    public override Task OnConnectedAsync()
    {
        sessions.Add(Context);
        metrics.Connected();
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        feeds.RemoveConnection(Context.ConnectionId);
        sessions.Remove(Context);
        metrics.Disconnected();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to execution {ExecutionId}: Redis or the database is unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, Guid executionId);
}
