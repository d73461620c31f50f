using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// Runs that gave their consumer slot back. A run that lasts longer than <see cref="WorkerOptions.DetachAfter"/> is
/// almost always waiting (a <c>delay</c>, a slow http call, a child graph doing so), and waiting costs a Worker a little
/// memory, not a slot: held in slots, 64 hour-long delays (three free accounts' worth of the per-user cap) kept every
/// other user's runs queued for an hour. A detached run carries on under its lease, renewed as before; its message is
/// acknowledged, which is safe because the lease, not the message, is what brings a run back: if this process dies, the
/// lease expires and the sweeper publishes the run again, and another Worker resumes it from its stored nodes. At most
/// <see cref="WorkerOptions.MaxDetachedExecutions"/> are detached at once; past that a run keeps its slot. When the process
/// stops, detached runs are cancelled like the others and release their leases, so the next sweep resumes them elsewhere.
/// </summary>
public sealed partial class DetachedExecutions(
    IOptions<WorkerOptions> options, WorkerMetrics metrics, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<DetachedExecutions> logger)
    : IHostedService
{
    private readonly ConcurrentDictionary<Guid, Task> _runs = new();
    private int _count;

    /// <summary>
    /// Cancelled as the process starts to stop: the token every run is given, rather than its message's, which a detached
    /// run outlives.
    /// </summary>
    public CancellationToken Stopping => lifetime.ApplicationStopping;

    /// <summary>
    /// Waits for <paramref name="run"/> up to the detach time; if it is still going then and there is room, it is detached
    /// and <paramref name="detached"/> is called once it ends (to end what the caller would have ended).
    /// </summary>
    /// <returns>True when detached: the caller returns without waiting; false: the caller awaits the run itself.</returns>
    public async Task<bool> WaitOrDetachAsync(Guid executionId, Task run, Action detached)
    {
        var after = options.Value.DetachAfter;
        if (after == Timeout.InfiniteTimeSpan)
        {
            return false;
        }

        // WaitAsync stops its timer as soon as the run ends, which almost every run does long before: a Task.Delay would
        // keep a timer alive for the whole detach time after each of hundreds of runs a second.
        await run.WaitAsync(after, time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (run.IsCompleted)
        {
            return false;
        }

        if (Interlocked.Increment(ref _count) > options.Value.MaxDetachedExecutions || Stopping.IsCancellationRequested)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        metrics.Detached(1);
        LogDetached(logger, executionId, after);
        _runs[executionId] = FollowAsync(executionId, run, detached);
        return true;
    }

    private async Task FollowAsync(Guid executionId, Task run, Action detached)
    {
        try
        {
            await run;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Its lease was released or expires; the sweeper publishes it again.
            LogDetachedRunFailed(logger, exception, executionId);
        }
        finally
        {
            detached();
            _runs.TryRemove(executionId, out _);
            Interlocked.Decrement(ref _count);
            metrics.Detached(-1);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits until the detached runs, cancelled by <see cref="Stopping"/>, have released their leases (or the host gives up).</summary>
    public async Task StopAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(_runs.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Execution {ExecutionId} still runs after {After}: it carries on without a consumer slot")]
    private static partial void LogDetached(ILogger logger, Guid executionId, TimeSpan after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Detached execution {ExecutionId} failed here; the sweeper publishes it again once its lease is free")]
    private static partial void LogDetachedRunFailed(ILogger logger, Exception exception, Guid executionId);
}
