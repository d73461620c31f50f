using GraphExec.Core.Data.Partitioning;
using Hangfire;
using Microsoft.Extensions.Options;

namespace GraphExec.Scheduler.Features.Retention;

/// <summary>
/// Keeps partitions of executions, node results and webhook deliveries ready ahead of time, so that rows go to their
/// day's partition rather than DEFAULT; rows that landed in DEFAULT meanwhile (the job did not run) move into the
/// partition created for them. One replica at a time (<see cref="JobLock"/>).
/// </summary>
public sealed partial class PartitionJob(
    TablePartitions partitions, JobLock jobLock, IOptions<PartitionOptions> options, SchedulerMetrics metrics, TimeProvider time,
    ILogger<PartitionJob> logger)
{
    public const string JobId = "create-partitions";

    [AutomaticRetry(Attempts = 0)]
    public Task CreateAheadAsync(CancellationToken cancellationToken) =>
        jobLock.TryRunAsync(JobId, async () =>
        {
            var settings = options.Value;
            foreach (var table in PartitionedTable.All)
            {
                var (created, moved) = await partitions.CreateAheadAsync(table, time.GetUtcNow(), settings.Interval, settings.Ahead, cancellationToken);
                metrics.PartitionsCreated(table.Name, created.Count);
                if (created.Count > 0)
                {
                    LogCreated(logger, table.Name, created.Count, string.Join(", ", created), moved);
                }
            }
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} partitions of {Table} ({Partitions}); {Moved} rows moved into them from DEFAULT")]
    private static partial void LogCreated(ILogger logger, string table, int count, string partitions, int moved);
}
