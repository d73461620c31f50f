namespace GraphExec.Core.Data.Partitioning;

/// <summary>
/// A table partitioned by range of a UUIDv7 column (<c>TimePartitions</c> migration): one partition per interval of
/// time, named by its first day, and a DEFAULT partition for any row outside every range.
/// </summary>
/// <param name="Name">The partitioned table.</param>
/// <param name="Key">The partition key: the UUIDv7 that dates a row (the execution's id for its node rows).</param>
public sealed record PartitionedTable(string Name, string Key)
{
    /// <summary>
    /// Its pages keep a tenth free: a claim (Queued to Running) changes no indexed column (<see cref="ExecutionSql"/>), and
    /// with room in the page PostgreSQL writes it as a heap-only (HOT) update, without a new entry in any index.
    /// </summary>
    public static readonly PartitionedTable Executions = new("executions", "id") { Fillfactor = 90 };

    public static readonly PartitionedTable NodeExecutions = new("node_executions", "execution_id");

    public static readonly PartitionedTable WebhookDeliveries = new("webhook_deliveries", "id");

    public static readonly IReadOnlyList<PartitionedTable> All = [Executions, NodeExecutions, WebhookDeliveries];

    /// <summary>How full (%) inserts fill a page of each partition (PostgreSQL's <c>fillfactor</c>): the rest is for updates.</summary>
    public int Fillfactor { get; init; } = 100;

    /// <summary>
    /// A condition that bounds <paramref name="alias"/>'s <see cref="Key"/> by the lowest and highest of
    /// <paramref name="ids"/> (a SQL <c>uuid[]</c>), for a statement that joins this table to a batch of ids. A join to
    /// <c>unnest(...)</c> gives the planner nothing to prune by, so a prepared (generic) plan hash-joins over every
    /// partition; the two bounds are uncorrelated subqueries, evaluated once before the scan, so PostgreSQL prunes the
    /// partitions outside them at run time and reads the rest through their primary keys (docs/scaling.md).
    /// Uuids have no <c>min</c>/<c>max</c> aggregates, hence the ordered <c>LIMIT 1</c>s.
    /// </summary>
    public string KeyWithin(string alias, string ids) =>
        $"{alias}.{Key} >= (SELECT b.id FROM unnest({ids}) AS b(id) ORDER BY b.id LIMIT 1) " +
        $"AND {alias}.{Key} <= (SELECT b.id FROM unnest({ids}) AS b(id) ORDER BY b.id DESC LIMIT 1)";

    /// <summary>Where rows outside every range go; it has its own index on <see cref="Key"/>.</summary>
    public string DefaultPartition => $"{Name}_default";

    /// <summary>The name of the partition that starts at <paramref name="from"/>: <c>executions_p20261201</c>.</summary>
    public string PartitionName(DateTimeOffset from) => $"{Name}_p{from.UtcDateTime:yyyyMMdd}";
}
