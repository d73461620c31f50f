using GraphExec.Hosting;
using Hangfire;
using Microsoft.Extensions.Options;

namespace GraphExec.Scheduler.Features.Blobs;

/// <summary>Registers (or updates) the orphan collector's recurring job once the database is reachable, as the sweeper's is.</summary>
public sealed class OrphanBlobRegistration(IRecurringJobManager jobs, DatabaseSchema schema, IOptions<OrphanBlobOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.Migrated.WaitAsync(stoppingToken);
        jobs.AddOrUpdate<OrphanBlobCollector>(
            OrphanBlobCollector.JobId,
            collector => collector.CollectAsync(CancellationToken.None),
            options.Value.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }
}
