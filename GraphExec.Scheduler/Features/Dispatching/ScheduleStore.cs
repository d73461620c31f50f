using System.Data.Common;
using GraphExec.Core.Executions;
using GraphExec.Engine.Schedules;
using Npgsql;
using static GraphExec.Core.Data.ArrayParameters;

namespace GraphExec.Scheduler.Features.Dispatching;

/// <summary>The dispatcher's statements on <c>schedules</c>, each one round trip whatever the number of rows.</summary>
public static class ScheduleStore
{
    /// <summary>
    /// $1 now, $2 how many. Locks the due rows it returns and skips rows another replica holds, so replicas share the
    /// load and never take the same schedule at once. Reads through the partial index of enabled schedules.
    /// </summary>
    private static readonly string ClaimSql = $"""
        SELECT s.owner_id, s.id, s.graph_id, s.cron, s.time_zone, s.inputs::text, s.overlap, s.misfire, s.next_fire_at,
               CASE WHEN g.deleted_at IS NULL THEN g.version END,
               {ExecutionStore.IsUnfinished("s.owner_id", "s.last_execution_id")}
        FROM schedules s
        LEFT JOIN graphs g ON g.owner_id = s.owner_id AND g.id = s.graph_id
        WHERE s.enabled AND s.next_fire_at IS NOT NULL AND s.next_fire_at <= $1
        ORDER BY s.next_fire_at
        LIMIT $2
        FOR UPDATE OF s SKIP LOCKED
        """;

    private const string AdvanceSql = """
        UPDATE schedules s
        SET next_fire_at = u.next_fire_at,
            enabled = u.enabled,
            last_fire_at = coalesce(u.last_fire_at, s.last_fire_at),
            last_execution_id = coalesce(u.last_execution_id, s.last_execution_id),
            fired_count = s.fired_count + u.fired,
            skipped_count = s.skipped_count + u.skipped,
            missed_count = s.missed_count + u.missed
        FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::boolean[], $5::timestamptz[], $6::uuid[], $7::int[], $8::int[], $9::int[])
            AS u(owner_id, id, next_fire_at, enabled, last_fire_at, last_execution_id, fired, skipped, missed)
        WHERE s.owner_id = u.owner_id AND s.id = u.id
        """;

    private const string NextDueSql = "SELECT min(next_fire_at) FROM schedules WHERE enabled AND next_fire_at IS NOT NULL";

    public static async Task<IReadOnlyList<DueSchedule>> ClaimAsync(DbTransaction transaction, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, ClaimSql, now, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<DueSchedule>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueSchedule(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                (ScheduleOverlap)reader.GetInt16(6), (ScheduleMisfire)reader.GetInt16(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.GetBoolean(10)));
        }

        return due;
    }

    public static async Task AdvanceAsync(DbTransaction transaction, IReadOnlyList<ScheduleAdvance> advances, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, AdvanceSql);
        command.Parameters.Add(new NpgsqlParameter { Value = advances.Select(a => a.OwnerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = advances.Select(a => a.Id).ToArray() });
        command.Parameters.Add(Times(advances.Select(a => a.NextFireAt)));
        command.Parameters.Add(new NpgsqlParameter { Value = advances.Select(a => a.Enabled).ToArray() });
        command.Parameters.Add(Times(advances.Select(a => a.LastFireAt)));
        command.Parameters.Add(Ids(advances.Select(a => a.LastExecutionId)));
        command.Parameters.Add(new NpgsqlParameter { Value = advances.Select(a => a.Fired).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = advances.Select(a => a.Skipped).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = advances.Select(a => a.Missed).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The earliest fire time of any enabled schedule, for the dispatcher to wake at.</summary>
    public static async Task<DateTimeOffset?> NextDueAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(NextDueSql, connection);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime next ? new DateTimeOffset(next, TimeSpan.Zero) : null;
    }

    private static NpgsqlCommand Command(DbTransaction transaction, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, (NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
