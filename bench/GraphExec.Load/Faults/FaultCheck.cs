using GraphExec.Engine;
using Npgsql;

namespace GraphExec.Load.Faults;

/// <summary>
/// Checks a fault run against the database of its own: one execution per accepted delivery, every execution ended, and
/// no node whose completion was recorded ran again (from the audit of every completion write that
/// <see cref="InstallAuditAsync"/> adds to this database only).
/// </summary>
public static class FaultCheck
{
    public static async Task InstallAuditAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            CREATE TABLE IF NOT EXISTS node_completion_audit (
                execution_id uuid NOT NULL, node_id text NOT NULL, started_at timestamptz, written_at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE OR REPLACE FUNCTION audit_node_completion() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.status = {(short)NodeStatus.Succeeded} THEN
                    INSERT INTO node_completion_audit (execution_id, node_id, started_at) VALUES (NEW.execution_id, NEW.node_id, NEW.started_at);
                END IF;
                RETURN NEW;
            END $$;
            DROP TRIGGER IF EXISTS audit_node_completion ON node_executions;
            CREATE TRIGGER audit_node_completion AFTER INSERT OR UPDATE ON node_executions FOR EACH ROW EXECUTE FUNCTION audit_node_completion();
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<FaultVerdict> RunAsync(
        string connectionString, IReadOnlyCollection<Trigger> triggers, int workersKilled, IReadOnlyList<string> faults)
    {
        // The pool's connections died with the server's restart.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        var rows = new Dictionary<Guid, (string Ref, short Status, int Attempt, bool Parked, int Sweeps)>();
        await using (var command = new NpgsqlCommand("SELECT id, trigger_ref, status, attempt, parked_at IS NOT NULL, sweeps FROM executions", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows[reader.GetGuid(0)] = (reader.IsDBNull(1) ? "" : reader.GetString(1), reader.GetInt16(2), reader.GetInt32(3), reader.GetBoolean(4), reader.GetInt32(5));
            }
        }

        var accepted = triggers.Where(t => t.ExecutionId is not null).ToList();
        var terminal = new[] { ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.TimedOut }
            .Select(s => (short)s).ToHashSet();
        return new FaultVerdict
        {
            Lost = accepted.Count(t => !rows.ContainsKey(t.ExecutionId!.Value)),
            Duplicated = rows.Values.GroupBy(r => r.Ref).Sum(g => g.Count() - 1)
                + accepted.GroupBy(t => t.ExecutionId).Sum(g => g.Count() - 1),
            Stuck = rows.Values.Count(r => !terminal.Contains(r.Status)),
            NodesRunTwice = await CountAsync(connection, """
                SELECT count(*) FROM (SELECT 1 FROM node_completion_audit GROUP BY execution_id, node_id HAVING count(DISTINCT started_at) > 1) twice
                """),
            Executions = rows.Count,
            ByStatus = rows.Values
                .GroupBy(r => ((ExecutionStatus)r.Status).ToString() + (r.Parked ? " (parked)" : "") + (terminal.Contains(r.Status) || r.Sweeps == 0 ? "" : $" (swept {r.Sweeps}×)"))
                .ToDictionary(g => g.Key, g => g.Count()),
            TakenOver = rows.Values.Count(r => r.Attempt > 1),
            WorkersKilled = workersKilled,
            Faults = faults,
        };
    }

    private static async Task<int> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
