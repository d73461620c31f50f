using System.Diagnostics;
using GraphExec.Core.Data;
using GraphExec.Core.Messages;
using GraphExec.Core.Quotas;
using GraphExec.Core.Telemetry;
using GraphExec.Core.Values;
using GraphExec.Engine;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.Core.Executions;

/// <summary>
/// The one way every trigger (manual, webhook, schedule, an error handler's failed run) and the sweeper start an execution: insert the row as Queued
/// through <see cref="ExecutionStore"/>, then publish <see cref="ExecuteGraph"/>. The row is the outbox: when the publish
/// fails it stays Queued and the sweeper publishes it again, so nothing that was accepted is lost. Inputs above the
/// inline threshold are written to blob storage before the row that references them is inserted.
/// </summary>
public sealed partial class ExecutionStarter(
    ExecutionStore store, ExecutionBlobStore blobs, IPublishEndpoint publisher, IOptions<QuotaOptions> quotas, TimeProvider time, ILogger<ExecutionStarter> logger)
{
    /// <summary>Long enough for a broker with publisher confirms under load; the sweeper covers anything slower.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a trigger's answer waits for its publish (normally a few milliseconds). While the broker is away the
    /// answer goes out after this and the publish carries on: the row is stored, so the trigger is accepted, and a
    /// sender's own timeout (GitHub's is 10 s) must not turn a broker outage into retries and errors.
    /// </summary>
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Inserts the execution as Queued (in one statement with the starts that arrive meanwhile) and publishes it once it
    /// has committed. A trigger ref that already has an execution
    /// (the same delivery again, or two at once) inserts nothing and answers that execution instead: the key of
    /// execution_triggers decides, so a new trigger costs no lookup first. An owner with as many executions queued as the
    /// quota allows gets a refusal, and nothing is stored; so does an input over the maximum value size.
    /// </summary>
    public async Task<StartedExecution> StartAsync(StartExecution request, CancellationToken cancellationToken)
    {
        QueuedStart start;
        try
        {
            start = await QueuedAsync(request, time.GetUtcNow(), cancellationToken);
        }
        catch (ValueTooLargeToStoreException tooLarge)
        {
            return StartedExecution.Refused(tooLarge);
        }

        var execution = start.Execution;
        switch (await store.InsertQueuedAsync(start).WaitAsync(cancellationToken))
        {
            case Insertion.OverQuota:
                return StartedExecution.Refused(QueuedQuota(start.QueuedQuota));
            case Insertion.Duplicate:
                return Traced(new StartedExecution(
                    await store.FindByTriggerAsync(request.OwnerId, request.Trigger, request.TriggerRef!, cancellationToken)
                        ?? throw new InvalidOperationException("The trigger ref was taken, but its execution is gone."),
                    Created: false));
        }

        PlatformMetrics.ExecutionsQueued(request.Trigger);
        var started = Traced(new StartedExecution(execution.Id, Created: true));
        try
        {
            await PublishAsync(execution).WaitAsync(AnswerWithin, time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // Still publishing (it logs if it fails); the sweeper publishes what never arrives.
        }

        return started;
    }

    /// <summary>Names the execution on the request's span (a webhook delivery, a manual run), as the Worker does on its own.</summary>
    private static StartedExecution Traced(StartedExecution started)
    {
        Activity.Current?.SetTag(ExecutionTracing.ExecutionId, started.ExecutionId);
        return started;
    }

    /// <summary>
    /// Inserts many executions as Queued in one statement, inside the caller's <paramref name="transaction"/>, so that
    /// they commit together with the caller's own changes (the Scheduler advancing its schedules). A trigger ref that
    /// already has an execution is left out, and so is an execution whose owner has as many queued as the quota allows. Publish the returned executions with <see cref="PublishManyAsync"/> once the
    /// transaction has committed, never before: a worker must find the row its message names.
    /// </summary>
    /// <returns>The executions inserted here.</returns>
    public async Task<IReadOnlyList<Execution>> InsertManyAsync(
        IReadOnlyList<StartExecution> requests, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return [];
        }

        var queuedAt = time.GetUtcNow();
        var starts = await Task.WhenAll(requests.Select(request => QueuedAsync(request, queuedAt, cancellationToken)));
        var insertions = await store.InsertQueuedAsync(starts, transaction, cancellationToken);
        PlatformMetrics.QuotaRefused(QuotaNames.QueuedExecutions, insertions.Values.Count(insertion => insertion == Insertion.OverQuota));

        var inserted = starts.Select(start => start.Execution).Where(e => insertions[e.Id] == Insertion.Inserted).ToList();
        foreach (var trigger in inserted.GroupBy(e => e.Trigger))
        {
            PlatformMetrics.ExecutionsQueued(trigger.Key, trigger.Count());
        }

        return inserted;
    }

    /// <summary>Publishes executions whose rows have committed, all at once; never throws (the sweeper covers a failure).</summary>
    /// <returns>How many were published.</returns>
    public async Task<int> PublishManyAsync(IEnumerable<(Guid OwnerId, Guid ExecutionId)> executions)
    {
        var published = await Task.WhenAll(executions.Select(e => PublishAsync(e.OwnerId, e.ExecutionId)));
        return published.Count(ok => ok);
    }

    /// <summary>Publishes (again) an execution whose row exists; never throws, as the row is what counts.</summary>
    public Task<bool> PublishAsync(Execution execution) => PublishAsync(execution.OwnerId, execution.Id);

    /// <inheritdoc cref="PublishAsync(Execution)"/>
    public async Task<bool> PublishAsync(Guid ownerId, Guid executionId)
    {
        // Not the caller's token: once the row exists, a client that hangs up must not cancel the publish.
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await publisher.Publish(new ExecuteGraph { OwnerId = ownerId, ExecutionId = executionId }, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogPublishFailed(logger, exception, executionId);
            return false;
        }
    }

    private static QuotaExceeded QueuedQuota(int quota) =>
        QuotaExceeded.Count(QuotaNames.QueuedExecutions, quota, "executions waiting to run; try again once some have started");

    /// <summary>
    /// The execution to insert, with a new id; its large inputs are in blob storage once this returns, and so are, for a
    /// retry, copies of the blobs of the execution it retries. Should the insert not happen (a duplicate trigger, the
    /// quota, a crash), the orphan collector deletes them.
    /// </summary>
    /// <exception cref="ValueTooLargeToStoreException">An input is over the maximum value size.</exception>
    private async Task<QueuedStart> QueuedAsync(StartExecution request, DateTimeOffset queuedAt, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var key = new ExecutionKey(request.OwnerId, id);
        // Copied, not shared: a blob's name holds its execution's id, and retention and the orphan collector delete by it,
        // so the retried execution's blobs may go while the retry still reads the values it reuses.
        var copied = request.RetryOf is { } retried && await blobs.CopyAsync(new ExecutionKey(request.OwnerId, retried), key, cancellationToken) > 0;
        var inputs = await blobs.For(key).StoreAsync(request.Inputs, cancellationToken);
        return new(new Execution
        {
            OwnerId = request.OwnerId,
            Id = id,
            GraphId = request.GraphId,
            GraphVersion = request.GraphVersion,
            Trigger = request.Trigger,
            TriggerRef = request.TriggerRef,
            Status = ExecutionStatus.Queued,
            Live = request.Live,
            Inputs = inputs.Json,
            HasBlobs = inputs.HasBlobs || copied,
            RetryOf = request.RetryOf,
            QueuedAt = queuedAt,
        }, quotas.Value.For(request.OwnerId).QueuedExecutions);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Execution {ExecutionId} is stored as Queued but its ExecuteGraph could not be published; the sweeper will publish it")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid executionId);
}
