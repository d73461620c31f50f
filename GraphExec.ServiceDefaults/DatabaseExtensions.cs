using GraphExec.Core.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace GraphExec.ServiceDefaults;

public static class DatabaseExtensions
{
    /// <summary>The health check that stays unhealthy until this process has seen the schema migrated.</summary>
    public const string SchemaHealthCheck = "database-schema";

    /// <summary>
    /// The <see cref="GraphExecDbContext"/> (pooled, with Aspire's health check, tracing and metrics) on the
    /// <c>graphexec</c> connection string, and the schema migrated in the background; <see cref="DatabaseSchema"/>
    /// tells when that is done.
    /// </summary>
    public static TBuilder AddGraphExecDatabase<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddNpgsqlDbContext<GraphExecDbContext>(
            ConnectionNames.Database,
            // Retries belong to the operation that knows whether it is safe to repeat (a claim, a batch of results), and
            // a health probe must answer quickly rather than retry for a minute while the database is down.
            configureSettings: settings => settings.DisableRetry = true,
            configureDbContextOptions: options => options.UseGraphExecConventions());

        builder.Services.AddSingleton<DatabaseSchema>();
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseSchemaHealthCheck>(SchemaHealthCheck);
        return builder;
    }

    private sealed class DatabaseSchemaHealthCheck(DatabaseSchema schema) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(schema.IsMigrated
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database schema is not migrated yet."));
    }
}
