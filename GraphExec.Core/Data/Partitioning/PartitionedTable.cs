namespace GraphExec.Core.Data.Partitioning;

/// <summary>
/// A table partitioned by range of a UUIDv7 column (<c>TimePartitions</c> migration): one partition per interval of
/// time, named by its first day, and a DEFAULT partition for any row outside every range.
/// </summary>
/// <param name="Name">The partitioned table.</param>
/// <param name="Key">The partition key: the UUIDv7 that dates a row (the execution's id for its node rows).</param>
public sealed record PartitionedTable(string Name, string Key)
{
    public static readonly PartitionedTable Executions = new("executions", "id");

    public static readonly PartitionedTable NodeExecutions = new("node_executions", "execution_id");

    public static readonly PartitionedTable WebhookDeliveries = new("webhook_deliveries", "id");

    public static readonly IReadOnlyList<PartitionedTable> All = [Executions, NodeExecutions, WebhookDeliveries];

    /// <summary>Where rows outside every range go; it has its own index on <see cref="Key"/>.</summary>
    public string DefaultPartition => $"{Name}_default";

    /// <summary>The name of the partition that starts at <paramref name="from"/>: <c>executions_p20261201</c>.</summary>
    public string PartitionName(DateTimeOffset from) => $"{Name}_p{from.UtcDateTime:yyyyMMdd}";
}
