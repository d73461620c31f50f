using GraphExec.Hosting;
using Hangfire;
using Microsoft.Extensions.Options;

namespace GraphExec.Scheduler.Features.Retention;

/// <summary>
/// Registers (or updates) the partition and retention jobs once the database is reachable, like the sweeper's; each
/// shows in the dashboard's recurring jobs under its id.
/// </summary>
public sealed class RetentionRegistration(
    IRecurringJobManager jobs, DatabaseSchema schema, IOptions<PartitionOptions> partitions, IOptions<RetentionOptions> retention) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.Migrated.WaitAsync(stoppingToken);
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        jobs.AddOrUpdate<PartitionJob>(PartitionJob.JobId, job => job.CreateAheadAsync(CancellationToken.None), partitions.Value.Cron, utc);
        jobs.AddOrUpdate<RetentionJob>(RetentionJob.ExecutionsJobId, job => job.ExpireExecutionsAsync(CancellationToken.None), retention.Value.Cron, utc);
        jobs.AddOrUpdate<RetentionJob>(RetentionJob.DeliveriesJobId, job => job.ExpireWebhookDeliveriesAsync(CancellationToken.None), retention.Value.Cron, utc);
        jobs.AddOrUpdate<RetentionJob>(RetentionJob.TriggersJobId, job => job.TrimTriggersAsync(CancellationToken.None), retention.Value.Cron, utc);
    }
}
