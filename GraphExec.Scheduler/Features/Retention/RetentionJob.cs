using GraphExec.Core.Data.Partitioning;
using GraphExec.Core.Executions;
using Hangfire;
using Microsoft.Extensions.Options;

namespace GraphExec.Scheduler.Features.Retention;

/// <summary>
/// Deletes what has outlived its retention (docs/scaling.md), as three recurring jobs, each run by one replica at a time
/// (<see cref="JobLock"/>): executions with their node results and blobs, webhook deliveries, and trigger refs past the
/// dedupe window.
/// </summary>
public sealed partial class RetentionJob(
    TablePartitions partitions, ExecutionRetention executions, WebhookDeliveryRetention deliveries, ExecutionTriggerTrim triggers,
    JobLock jobLock, IOptions<RetentionOptions> options, SchedulerMetrics metrics, TimeProvider time, ILogger<RetentionJob> logger)
{
    public const string ExecutionsJobId = "expire-executions";
    public const string DeliveriesJobId = "expire-webhook-deliveries";
    public const string TriggersJobId = "trim-execution-triggers";

    /// <summary>
    /// Drops each day's partitions of executions and node results once wholly older than the default retention (keeping
    /// what must outlive them), then deletes the expired rows of shorter-retention users and of the DEFAULT partition.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public Task ExpireExecutionsAsync(CancellationToken cancellationToken) =>
        jobLock.TryRunAsync(ExecutionsJobId, async () =>
        {
            var now = time.GetUtcNow();
            var days = options.Value.DefaultDays;
            var nodePartitions = await partitions.ListAsync(PartitionedTable.NodeExecutions, cancellationToken);
            foreach (var partition in (await partitions.ListAsync(PartitionedTable.Executions, cancellationToken)).Where(p => p.To <= now.AddDays(-days)))
            {
                var nodes = nodePartitions.FirstOrDefault(n => n.From == partition.From && n.To == partition.To);
                var expiry = await executions.DropAsync(partition, nodes, now, days, cancellationToken);
                metrics.PartitionDropped(PartitionedTable.Executions.Name);
                metrics.Kept(expiry.KeptExecutions);
                metrics.BlobsDeleted(expiry.BlobExecutions);
                LogDropped(logger, partition.Name, nodes?.Name, expiry.KeptExecutions, expiry.KeptNodes, expiry.BlobExecutions);
            }

            Report("shorter_retention", await executions.DeleteShortRetentionAsync(now, days, cancellationToken));
            Report("default_partition", await executions.DeleteExpiredDefaultAsync(now, cancellationToken));
        }, cancellationToken);

    /// <summary>Drops webhook delivery partitions past their retention, and deletes the older rows left in DEFAULT.</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task ExpireWebhookDeliveriesAsync(CancellationToken cancellationToken) =>
        jobLock.TryRunAsync(DeliveriesJobId, async () =>
        {
            var (dropped, deleted) = await deliveries.ExpireAsync(time.GetUtcNow() - options.Value.WebhookDeliveries, cancellationToken);
            foreach (var partition in dropped)
            {
                metrics.PartitionDropped(PartitionedTable.WebhookDeliveries.Name);
                LogDeliveriesDropped(logger, partition);
            }

            metrics.Deleted(PartitionedTable.WebhookDeliveries.Name, "default_partition", deleted);
            if (deleted > 0)
            {
                LogDeleted(logger, deleted, PartitionedTable.WebhookDeliveries.Name, "default_partition", 0, 0);
            }
        }, cancellationToken);

    /// <summary>Deletes trigger refs older than the dedupe window.</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task TrimTriggersAsync(CancellationToken cancellationToken) =>
        jobLock.TryRunAsync(TriggersJobId, async () =>
        {
            var deleted = await triggers.TrimAsync(time.GetUtcNow() - options.Value.TriggerDedupeWindow, cancellationToken);
            metrics.Deleted("execution_triggers", "dedupe_window", deleted);
            if (deleted > 0)
            {
                LogDeleted(logger, deleted, "execution_triggers", "dedupe_window", 0, 0);
            }
        }, cancellationToken);

    private void Report(string reason, RowExpiry expiry)
    {
        metrics.Deleted(PartitionedTable.Executions.Name, reason, expiry.Executions);
        metrics.BlobsDeleted(expiry.BlobExecutions);
        if (expiry.Executions > 0)
        {
            LogDeleted(logger, expiry.Executions, PartitionedTable.Executions.Name, reason, expiry.Nodes, expiry.BlobExecutions);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Dropped partition {Partition} and node partition {NodePartition}; kept {Kept} executions and {KeptNodes} node rows in DEFAULT; deleted the blobs of {Blobs} executions")]
    private static partial void LogDropped(ILogger logger, string partition, string? nodePartition, int kept, int keptNodes, int blobs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped webhook delivery partition {Partition}")]
    private static partial void LogDeliveriesDropped(ILogger logger, string partition);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Deleted {Count} rows of {Table} ({Reason}), with {Nodes} node rows and the blobs of {Blobs} executions")]
    private static partial void LogDeleted(ILogger logger, int count, string table, string reason, int nodes, int blobs);
}
