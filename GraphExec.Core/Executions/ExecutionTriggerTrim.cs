using Npgsql;

namespace GraphExec.Core.Executions;

/// <summary>
/// Trims <c>execution_triggers</c> past the dedupe window, oldest first in batches through its index on the time: a
/// trigger event repeated after the window would start a second execution, and no sender repeats that late
/// (docs/scaling.md).
/// </summary>
public sealed class ExecutionTriggerTrim(NpgsqlDataSource dataSource)
{
    private const string TrimSql = """
        DELETE FROM execution_triggers t
        WHERE (t.owner_id, t.trigger, t.trigger_ref) IN (
            SELECT owner_id, trigger, trigger_ref FROM execution_triggers WHERE created_at < $1 ORDER BY created_at LIMIT $2)
        """;

    public int BatchSize { get; init; } = 5_000;

    /// <returns>How many trigger refs were deleted.</returns>
    public async Task<int> TrimAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var deleted = 0;
        int batch;
        do
        {
            await using var command = dataSource.CreateCommand(TrimSql);
            command.Parameters.Add(new NpgsqlParameter { Value = before });
            command.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            batch = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += batch;
        }
        while (batch == BatchSize);

        return deleted;
    }
}
