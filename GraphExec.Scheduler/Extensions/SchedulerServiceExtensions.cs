using GraphExec.Core.Data.Partitioning;
using GraphExec.Core.Executions;
using GraphExec.Core.Values;
using GraphExec.Engine.Schedules;
using GraphExec.Hosting;
using GraphExec.Hosting.Blobs;
using GraphExec.Scheduler.Features;
using GraphExec.Scheduler.Features.Blobs;
using GraphExec.Scheduler.Features.Dashboard;
using GraphExec.Scheduler.Features.Dispatching;
using GraphExec.Scheduler.Features.Monitoring;
using GraphExec.Scheduler.Features.Retention;
using GraphExec.Scheduler.Features.Sweeping;
using GraphExec.ServiceDefaults;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.Scheduler.Extensions;

public static class SchedulerServiceExtensions
{
    /// <summary>Hangfire's tables live in a schema of their own in the GraphExec database.</summary>
    public const string HangfireSchema = "hangfire";

    public const string DashboardPath = "/hangfire";

    public static IHostApplicationBuilder AddSchedulerServices(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecDatabase();
        builder.AddMessageBus();
        // Inputs above the inline threshold go to blob storage before their execution is inserted; retention deletes an
        // expired execution's blobs with it, and the orphan collector those that no row references.
        builder.AddGraphExecBlobs();

        var services = builder.Services;
        services.AddOptions<DispatcherOptions>().BindConfiguration(DispatcherOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SweeperOptions>().BindConfiguration(SweeperOptions.Section).ValidateDataAnnotations()
            .Validate(sweeper => CronSchedule.TryParse(sweeper.Cron, null, out _).Count == 0, "Sweeper:Cron is not a valid cron expression.")
            .ValidateOnStart();
        services.AddOptions<OrphanBlobOptions>().BindConfiguration(OrphanBlobOptions.Section).ValidateDataAnnotations()
            .Validate(orphans => CronSchedule.TryParse(orphans.Cron, null, out _).Count == 0, "OrphanBlobs:Cron is not a valid cron expression.")
            .ValidateOnStart();
        services.AddOptions<PartitionOptions>().BindConfiguration(PartitionOptions.Section).ValidateDataAnnotations()
            .Validate(partitions => CronSchedule.TryParse(partitions.Cron, null, out _).Count == 0, "Partitions:Cron is not a valid cron expression.")
            .Validate(partitions => partitions.Interval.Ticks % TimeSpan.TicksPerDay == 0, "Partitions:Interval must be whole days.")
            .ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations()
            .Validate(retention => CronSchedule.TryParse(retention.Cron, null, out _).Count == 0, "Retention:Cron is not a valid cron expression.")
            .ValidateOnStart();
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<SchedulerMetrics>();
        services.AddScoped<ExecutionStarter>();
        services.AddScoped<ExecutionSweeper>();
        services.AddHostedService<ScheduleDispatcher>();
        services.AddHostedService<SweeperRegistration>();
        services.AddScoped<OrphanBlobCollector>();
        services.AddHostedService<OrphanBlobRegistration>();
        services.AddRetentionJobs();
        services.AddHostedService<SystemGauges>();

        var connectionString = builder.Configuration.GetConnectionString(ConnectionNames.Database)
            ?? throw new InvalidOperationException($"The connection string '{ConnectionNames.Database}' is missing.");
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                storage => storage.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions { SchemaName = HangfireSchema, PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(1) }));
        // Two workers: the sweeper runs every few seconds and must not starve while a partition or retention job runs long.
        services.AddHangfireServer((provider, server) =>
        {
            server.WorkerCount = 2;
            server.SchedulePollingInterval = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SweeperOptions>>().Value.PollInterval;
        });

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, OperatorAuthentication>(OperatorAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(OperatorAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(OperatorAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole(OperatorAuthentication.Policy));
        return builder;
    }

    /// <summary>The partition and retention jobs with what they use (docs/scaling.md).</summary>
    private static void AddRetentionJobs(this IServiceCollection services)
    {
        services.AddSingleton(provider => new TablePartitions(provider.GetRequiredService<NpgsqlDataSource>())
        {
            LockTimeout = provider.GetRequiredService<IOptions<PartitionOptions>>().Value.LockTimeout,
            Attempts = provider.GetRequiredService<IOptions<PartitionOptions>>().Value.Attempts,
        });
        services.AddSingleton(provider => new ExecutionRetention(
            provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<TablePartitions>(), provider.GetRequiredService<IExecutionBlobs>())
        {
            BatchSize = provider.GetRequiredService<IOptions<RetentionOptions>>().Value.BatchSize,
        });
        services.AddSingleton(provider => new WebhookDeliveryRetention(provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<TablePartitions>())
        {
            BatchSize = provider.GetRequiredService<IOptions<RetentionOptions>>().Value.BatchSize,
        });
        services.AddSingleton<ExecutionTriggerTrim>();
        services.AddSingleton<JobLock>();
        services.AddScoped<PartitionJob>();
        services.AddScoped<RetentionJob>();
        services.AddHostedService<RetentionRegistration>();
    }

    public static WebApplication MapScheduler(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        // The dashboard's own filters would only let local requests in; access is the operator policy's job, so they are
        // emptied, and the endpoint is never reachable without the operator's credentials.
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [],
            DashboardTitle = "GraphExec Scheduler",
            AppPath = null,
        }).RequireAuthorization(OperatorAuthentication.Policy);
        return app;
    }
}
