using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Hangfire;
using Microsoft.Extensions.Options;

namespace GraphExec.Scheduler.Features.Sweeping;

/// <summary>
/// Registers (or updates) the sweeper's recurring job once the database is reachable; every replica does so, which is
/// idempotent, and Hangfire starts each occurrence on one server only.
/// </summary>
public sealed class SweeperRegistration(IRecurringJobManager jobs, DatabaseSchema schema, IOptions<SweeperOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.Migrated.WaitAsync(stoppingToken);
        jobs.AddOrUpdate<ExecutionSweeper>(
            ExecutionSweeper.JobId,
            sweeper => sweeper.SweepAsync(CancellationToken.None),
            options.Value.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }
}
