using System.Text.Json;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Messages;
using GraphExec.Engine;
using GraphExec.Engine.Json;
using Hangfire;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.Scheduler.Features.Sweeping;

/// <summary>
/// Makes the executions table a reliable outbox. Run by Hangfire as a recurring job (one server at a time runs each
/// occurrence), it finds executions left Queued past the threshold (their publish was lost) and Running executions
/// whose lease expired past the threshold (their worker stopped and no redelivery took over), and publishes them again
/// through <see cref="ExecutionStarter"/>; the Worker's claim takes over an expired lease. After
/// <see cref="SweeperOptions.MaxSweeps"/> publishes, or <see cref="SweeperOptions.MaxAttempts"/> claims that all lost
/// their lease, it marks the execution Failed with the reason instead.
/// </summary>
public sealed partial class ExecutionSweeper(
    GraphExecDbContext db, ExecutionStarter starter, IPublishEndpoint publisher, IOptions<SweeperOptions> options,
    SchedulerMetrics metrics, TimeProvider time, ILogger<ExecutionSweeper> logger)
{
    public const string JobId = "sweep-stalled-executions";

    public const string QueuedReason = "queued";
    public const string LeaseExpiredReason = "lease_expired";

    private static readonly short Queued = (short)ExecutionStatus.Queued;
    private static readonly short Running = (short)ExecutionStatus.Running;

    /// <summary>
    /// $1 the threshold's edge (now − threshold), $2 how many. Parked executions wait for a slot on purpose and are left
    /// alone; the partial index of unfinished executions serves the scan.
    /// </summary>
    private static readonly string StalledSql = $"""
        SELECT owner_id, id, graph_id, trigger, status, attempt, sweeps
        FROM executions
        WHERE status IN ({Queued}, {Running})
          AND coalesce(swept_at, queued_at) < $1
          AND ((status = {Queued} AND parked_at IS NULL) OR (status = {Running} AND lease_expires_at < $1))
        ORDER BY status, queued_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED
        """;

    private const string SweptSql = """
        UPDATE executions e SET sweeps = e.sweeps + 1, swept_at = $3
        FROM unnest($1::uuid[], $2::uuid[]) AS s(owner_id, id)
        WHERE e.owner_id = s.owner_id AND e.id = s.id
        """;

    private static readonly string FailSql = $"""
        UPDATE executions e
        SET status = {(short)ExecutionStatus.Failed}, error = s.error::jsonb, finished_at = $4,
            lease_owner = NULL, lease_expires_at = NULL, parked_at = NULL
        FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS s(owner_id, id, error)
        WHERE e.owner_id = s.owner_id AND e.id = s.id
        """;

    /// <summary>
    /// One sweep; Hangfire retries it on failure only through the next occurrence. Sweeps may overlap (two replicas, a
    /// slow one): each takes its rows with <c>FOR UPDATE SKIP LOCKED</c> and marks them swept, so no row is handled
    /// twice. No Hangfire distributed lock: one left behind by a sweep that died with its database connection (a
    /// PostgreSQL restart) blocked every later sweep until it expired, 10 minutes later.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var republish = new List<Stalled>();
        var fail = new List<(Stalled Execution, string Error)>();

        await db.Database.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var dbTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
            foreach (var stalled in await FindAsync(dbTransaction, now - settings.Threshold, settings.BatchSize, cancellationToken))
            {
                if (stalled.Sweeps >= settings.MaxSweeps)
                {
                    fail.Add((stalled, Error(stalled.Status == ExecutionStatus.Queued
                        ? $"No worker started the execution although it was published {stalled.Sweeps + 1} times; it was given up."
                        : $"No worker finished the execution although it was published again {stalled.Sweeps} times after its worker stopped; it was given up.")));
                }
                else if (stalled.Status == ExecutionStatus.Running && stalled.Attempt >= settings.MaxAttempts)
                {
                    fail.Add((stalled, Error(
                        $"The execution's worker stopped {stalled.Attempt} times before finishing it (its lease expired each time); it is not tried again.")));
                }
                else
                {
                    republish.Add(stalled);
                }
            }

            await ExecuteAsync(dbTransaction, SweptSql, cancellationToken,
                republish.Select(s => s.OwnerId).ToArray(), republish.Select(s => s.Id).ToArray(), now);
            await ExecuteAsync(dbTransaction, FailSql, cancellationToken,
                fail.Select(f => f.Execution.OwnerId).ToArray(), fail.Select(f => f.Execution.Id).ToArray(), fail.Select(f => f.Error).ToArray(), now);
            await transaction.CommitAsync(cancellationToken);
        }

        await starter.PublishManyAsync(republish.Select(s => (s.OwnerId, s.Id)));
        foreach (var stalled in republish)
        {
            metrics.Republished(Reason(stalled));
        }

        foreach (var (stalled, _) in fail)
        {
            metrics.Failed(Reason(stalled));
            LogFailed(logger, stalled.Id, Reason(stalled));
            await publisher.Publish(new ExecutionCompleted
            {
                OwnerId = stalled.OwnerId,
                ExecutionId = stalled.Id,
                GraphId = stalled.GraphId,
                Trigger = stalled.Trigger,
                Status = ExecutionStatus.Failed,
                FinishedAt = now,
            }, cancellationToken);
        }

        if (republish.Count + fail.Count > 0)
        {
            LogSwept(logger, republish.Count, fail.Count);
        }
    }

    private static async Task<List<Stalled>> FindAsync(NpgsqlTransaction transaction, DateTimeOffset edge, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(StalledSql, transaction.Connection, transaction)
        {
            Parameters = { new() { Value = edge }, new() { Value = limit } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stalled = new List<Stalled>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stalled.Add(new Stalled(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), (TriggerKind)reader.GetInt16(3),
                (ExecutionStatus)reader.GetInt16(4), reader.GetInt32(5), reader.GetInt32(6)));
        }

        return stalled;
    }

    private static async Task ExecuteAsync(NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        if (values[0] is Array { Length: 0 })
        {
            return;
        }

        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Error(string message) =>
        JsonSerializer.Serialize(new ExecutionError(ExecutionError.Stalled, message), GraphExecJsonContext.Default.ExecutionError);

    private static string Reason(Stalled stalled) => stalled.Status == ExecutionStatus.Queued ? QueuedReason : LeaseExpiredReason;

    private sealed record Stalled(Guid OwnerId, Guid Id, Guid GraphId, TriggerKind Trigger, ExecutionStatus Status, int Attempt, int Sweeps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweeper published {Republished} stalled executions again and marked {Failed} Failed")]
    private static partial void LogSwept(ILogger logger, int republished, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} is marked Failed by the sweeper ({Reason})")]
    private static partial void LogFailed(ILogger logger, Guid executionId, string reason);
}
