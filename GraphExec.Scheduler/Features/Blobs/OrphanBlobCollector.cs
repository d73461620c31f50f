using GraphExec.Core.Executions;
using System.Diagnostics;
using GraphExec.Core.Values;
using GraphExec.ServiceDefaults;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.Scheduler.Features.Blobs;

/// <summary>
/// Deletes the blobs no row references. A value's blob is written before the row that references it commits, so a
/// crash (or a refused start, a lost lease) in between leaves a blob behind. Run by Hangfire as a recurring job, it lists
/// the blobs of the last two days' executions (the names start with the execution's day) older than the grace period,
/// and groups them by execution: every blob of an execution whose row does not exist goes, and so does every blob a
/// finished execution does not reference; an unfinished execution's are left alone, as its run may still reference them.
/// Each collection is a span (<see cref="SpanName"/>) exported only when it deleted blobs, failed or was slow
/// (<see cref="BackgroundTracing"/>): its listing requests are storage calls that found nothing most of the time.
/// </summary>
public sealed partial class OrphanBlobCollector(
    ExecutionBlobStore blobs, NpgsqlDataSource database, IOptions<BlobOptions> blobOptions, IOptions<OrphanBlobOptions> options,
    BackgroundTracing tracing, TimeProvider time, ILogger<OrphanBlobCollector> logger)
{
    public const string JobId = "collect-orphan-blobs";

    public const string SpanName = "collect orphan blobs";

    /// <summary>
    /// $1 owners, $2 executions as arrays: each execution that exists, whether it is unfinished, and each key its rows
    /// reference (top-level values with a <c>$ref</c>; one row with a null key when none).
    /// </summary>
    private static readonly string ReferencedSql = $"""
        SELECT e.owner_id, e.id, {ExecutionStore.IsUnfinished("e.owner_id", "e.id")}, r.key
        FROM unnest($1::uuid[], $2::uuid[]) AS k(owner_id, id)
        JOIN executions e ON e.owner_id = k.owner_id AND e.id = k.id
        LEFT JOIN LATERAL (
            SELECT v.value ->> '{ValueReference.RefProperty}' AS key
            FROM (SELECT e.inputs AS j UNION ALL SELECT e.outputs
                  UNION ALL SELECT n.inputs FROM node_executions n WHERE n.owner_id = e.owner_id AND n.execution_id = e.id
                  UNION ALL SELECT n.outputs FROM node_executions n WHERE n.owner_id = e.owner_id AND n.execution_id = e.id) AS c,
                 jsonb_each(CASE WHEN jsonb_typeof(c.j) = 'object' THEN c.j ELSE NULL END) AS v
            WHERE jsonb_typeof(v.value) = 'object' AND v.value ? '{ValueReference.RefProperty}') AS r ON true
        """;

    /// <summary>One collection; a failure waits for the next occurrence (deleting is idempotent).</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task CollectAsync(CancellationToken cancellationToken) => tracing.PollAsync(SpanName, CollectAsync, cancellationToken);

    private async Task CollectAsync(Activity? collection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var found = new List<(ExecutionKey Execution, string Key, string Name)>();
        foreach (var day in new[] { today.AddDays(-1), today })
        {
            await foreach (var name in blobs.ListAsync(day, now - blobOptions.Value.OrphanGracePeriod, cancellationToken))
            {
                if (BlobNames.Parse(name) is { } parsed)
                {
                    found.Add((parsed.Execution, parsed.Key, name));
                }
            }
        }

        var deleted = 0;
        foreach (var executions in found.GroupBy(blob => blob.Execution).Chunk(options.Value.BatchSize))
        {
            var rows = await ReferencedAsync([.. executions.Select(e => e.Key)], cancellationToken);
            var orphans = executions.SelectMany(execution => !rows.TryGetValue(execution.Key, out var row) ? execution
                : row.Unfinished ? []
                : execution.Where(blob => !row.Keys.Contains(blob.Key))).Select(blob => blob.Name).ToList();
            if (orphans.Count > 0)
            {
                // Before the deletes, so that their requests are exported as its children.
                tracing.Worked(collection);
            }

            await blobs.DeleteAsync(orphans, cancellationToken);
            deleted += orphans.Count;
        }

        collection?.SetTag("graphexec.blobs.deleted", deleted);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted);
        }
    }

    private async Task<Dictionary<ExecutionKey, (bool Unfinished, HashSet<string> Keys)>> ReferencedAsync(
        IReadOnlyList<ExecutionKey> executions, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(ReferencedSql);
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.OwnerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.ExecutionId).ToArray() });
        var rows = new Dictionary<ExecutionKey, (bool Unfinished, HashSet<string> Keys)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var execution = new ExecutionKey(reader.GetGuid(0), reader.GetGuid(1));
            if (!rows.TryGetValue(execution, out var row))
            {
                rows[execution] = row = (reader.GetBoolean(2), new HashSet<string>(StringComparer.Ordinal));
            }

            if (!reader.IsDBNull(3))
            {
                row.Keys.Add(reader.GetString(3));
            }
        }

        return rows;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} blobs that no execution references")]
    private static partial void LogDeleted(ILogger logger, int count);
}
