using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace GraphExec.Hosting;

public static class DatabaseExtensions
{
    /// <summary>The health check that stays unhealthy until this process has seen the schema migrated.</summary>
    public const string SchemaHealthCheck = "database-schema";

    /// <summary>
    /// One Npgsql data source on the <c>graphexec</c> connection string, shared by the <see cref="GraphExecDbContext"/>
    /// (pooled, with Aspire's health check, tracing and metrics) and the <see cref="ExecutionStore"/>, and the schema
    /// migrated in the background; <see cref="DatabaseSchema"/> tells when that is done.
    /// </summary>
    public static TBuilder AddGraphExecDatabase<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // One pool for every statement of the process, so that when PostgreSQL restarts, the first broken connection
        // clears all of them at once. No reset on close: nothing here leaves session state behind (locks end with their
        // transaction or are released where they are taken), and the DISCARD ALL that a reset costs would double the
        // statements per execution. Statements used twice are prepared on each connection, so that PostgreSQL parses and
        // plans the hot path's statements once per connection instead of once per call. The DbContext's health check
        // follows this database; the data source needs no second one.
        builder.AddNpgsqlDataSource(
            ConnectionNames.Database,
            configureSettings: settings => settings.DisableHealthChecks = true,
            configureDataSourceBuilder: source =>
            {
                source.ConnectionStringBuilder.NoResetOnClose = true;
                source.ConnectionStringBuilder.MaxAutoPrepare = 64;
                source.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            });
        builder.Services.AddDbContextPool<GraphExecDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()).UseGraphExecConventions());
        // Retries belong to the operation that knows whether it is safe to repeat (a claim, a batch of results), and a
        // health probe must answer quickly rather than retry for a minute while the database is down.
        builder.EnrichNpgsqlDbContext<GraphExecDbContext>(settings => settings.DisableRetry = true);
        builder.Services.AddSingleton<QueuedCounts>();
        builder.Services.AddSingleton<ExecutionStore>();
        // Every writer of the database decides some quota: what users keep, what they queue, what a run may do.
        builder.AddGraphExecQuotas();

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
