using Npgsql;

namespace GraphExec.Core.Data.Partitioning;

/// <summary>
/// Webhook deliveries are kept for a fixed time, nothing outlives it: their partitions are dropped whole once past it,
/// and the few rows of the DEFAULT partition deleted in batches through its index on the id.
/// </summary>
public sealed class WebhookDeliveryRetention(NpgsqlDataSource dataSource, TablePartitions partitions)
{
    private static readonly PartitionedTable Deliveries = PartitionedTable.WebhookDeliveries;

    private static readonly string DeleteSql = $"""
        DELETE FROM "{Deliveries.DefaultPartition}" d
        WHERE (d.owner_id, d.webhook_id, d.id) IN (
            SELECT owner_id, webhook_id, id FROM "{Deliveries.DefaultPartition}" WHERE id < $1 ORDER BY id LIMIT $2)
        """;

    public int BatchSize { get; init; } = 1_000;

    /// <summary>Drops the partitions wholly older than <paramref name="edge"/>, then deletes the older rows left in DEFAULT.</summary>
    /// <returns>The partitions dropped and the DEFAULT rows deleted.</returns>
    public async Task<(IReadOnlyList<string> Dropped, int Deleted)> ExpireAsync(DateTimeOffset edge, CancellationToken cancellationToken)
    {
        var dropped = new List<string>();
        foreach (var partition in (await partitions.ListAsync(Deliveries, cancellationToken)).Where(p => p.To <= edge))
        {
            await partitions.DropAsync(Deliveries, partition, cancellationToken);
            dropped.Add(partition.Name);
        }

        var deleted = 0;
        int batch;
        do
        {
            await using var command = dataSource.CreateCommand(DeleteSql);
            command.Parameters.Add(new NpgsqlParameter { Value = Uuid7.Floor(edge) });
            command.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            batch = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += batch;
        }
        while (batch == BatchSize);

        return (dropped, deleted);
    }
}
