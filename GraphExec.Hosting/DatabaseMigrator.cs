using GraphExec.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;

namespace GraphExec.Hosting;

/// <summary>
/// Applies pending migrations in the background when the service starts. Every replica of every service may do this
/// at once: <see cref="DatabaseMigrations.MigrateExclusivelyAsync"/> lets one apply them while the others wait and then
/// find nothing left to do. While the database is unreachable it retries with backoff, and the service stays
/// up (alive, but not healthy) instead of crashing in a loop.
/// </summary>
internal sealed partial class DatabaseMigrator(
    IServiceScopeFactory scopes, DatabaseSchema schema, TimeProvider time, ILogger<DatabaseMigrator> logger) : BackgroundService
{
    private readonly ResiliencePipeline _retry = StartupRetry.UntilAvailable(
        DatabaseFailures.IsUnavailable,
        (delay, reason) => LogRetrying(logger, delay, reason));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _retry.ExecuteAsync(MigrateAsync, stoppingToken);
        schema.MarkMigrated();
    }

    private async ValueTask MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        // EF Core logs each migration it applies; asking for pending ones first would log an error on an empty database.
        await scope.ServiceProvider.GetRequiredService<GraphExecDbContext>().MigrateExclusivelyAsync(
            cancellationToken, () => Secrets.SecretsExtensions.PrepareAsync(scope.ServiceProvider, time, cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is not reachable ({Reason}); migrating again in {Delay}")]
    private static partial void LogRetrying(ILogger logger, TimeSpan delay, string? reason);
}
