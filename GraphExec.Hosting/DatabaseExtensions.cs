using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace GraphExec.Hosting;

public static class DatabaseExtensions
{
    /// <summary>The health check that stays unhealthy until this process has seen the schema migrated.</summary>
    public const string SchemaHealthCheck = "database-schema";

    /// <summary>
    /// The <see cref="GraphExecDbContext"/> (pooled, with Aspire's health check, tracing and metrics) and the
    /// <see cref="ExecutionStore"/> on the <c>graphexec</c> connection string, and the schema migrated in the background;
    /// <see cref="DatabaseSchema"/> tells when that is done.
    /// </summary>
    public static TBuilder AddGraphExecDatabase<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddNpgsqlDbContext<GraphExecDbContext>(
            ConnectionNames.Database,
            // Retries belong to the operation that knows whether it is safe to repeat (a claim, a batch of results), and
            // a health probe must answer quickly rather than retry for a minute while the database is down.
            configureSettings: settings => settings.DisableRetry = true,
            configureDbContextOptions: options => options.UseGraphExecConventions());

        // The statements on executions (starts, claims, batched node writes) go through Npgsql directly, one round trip
        // each. No reset on close: they leave no session state (their locks end with their transaction), and the
        // DISCARD ALL that a reset costs would double the statements per execution. The DbContext's health check already
        // follows the same database.
        builder.AddNpgsqlDataSource(
            ConnectionNames.Database,
            configureSettings: settings => settings.DisableHealthChecks = true,
            configureDataSourceBuilder: source => source.ConnectionStringBuilder.NoResetOnClose = true);
        builder.Services.AddSingleton<ExecutionStore>();

        builder.Services.AddSingleton<DatabaseSchema>();
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseSchemaHealthCheck>(SchemaHealthCheck);
        return builder;
    }

    /// <summary>
    /// Holds requests under <paramref name="path"/> until the schema is migrated (a few seconds after a fresh start at
    /// most), and answers 503 with <c>Retry-After</c> if it takes longer, rather than failing them against a missing table.
    /// </summary>
    public static IApplicationBuilder WaitForDatabaseSchema(this IApplicationBuilder app, PathString path, TimeSpan? wait = null) =>
        app.Use(async (context, next) =>
        {
            var schema = context.RequestServices.GetRequiredService<DatabaseSchema>();
            if (!schema.IsMigrated && context.Request.Path.StartsWithSegments(path))
            {
                try
                {
                    await schema.Migrated.WaitAsync(wait ?? TimeSpan.FromSeconds(15), context.RequestAborted);
                }
                catch (TimeoutException)
                {
                    context.Response.Headers.RetryAfter = "5";
                    await Results.Problem(
                        title: "The service is starting.", detail: "Try again in a few seconds.", statusCode: StatusCodes.Status503ServiceUnavailable)
                        .ExecuteAsync(context);
                    return;
                }
            }

            await next(context);
        });

    private sealed class DatabaseSchemaHealthCheck(DatabaseSchema schema) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(schema.IsMigrated
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database schema is not migrated yet."));
    }
}
