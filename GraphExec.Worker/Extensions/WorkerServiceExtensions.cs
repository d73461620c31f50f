using System.Diagnostics;
using GraphExec.Core.Executions;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Engine.Blocks.Http;
using GraphExec.Hosting;
using GraphExec.Hosting.Blobs;
using GraphExec.Hosting.Secrets;
using GraphExec.ServiceDefaults;
using GraphExec.Worker.Features.Cancellation;
using GraphExec.Worker.Features.Executions;
using GraphExec.Worker.Features.Live;
using GraphExec.Worker.Features.Notifications;
using MassTransit;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;

namespace GraphExec.Worker.Extensions;

public static class WorkerServiceExtensions
{
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecDatabase();
        // Redis holds graph definitions for every replica, and the live events that the Live service streams.
        builder.AddGraphExecCache();
        // Decrypts the credentials that block configs name; only the Api encrypts, and so makes keys.
        builder.AddGraphExecSecrets(makesKeys: false);
        // Values above the inline threshold are kept in blob storage, and nodes may fire values up to its maximum size.
        builder.AddGraphExecBlobs();
        // The http block's requests are traced with secrets masked in their URL.
        builder.Services.Configure<HttpClientTraceInstrumentationOptions>(options =>
        {
            options.EnrichWithHttpRequestMessage += MaskUrl;
            options.EnrichWithHttpResponseMessage += (activity, response) => MaskUrl(activity, response.RequestMessage);
        });

        builder.Services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(services =>
        {
            var worker = services.GetRequiredService<IOptions<WorkerOptions>>().Value;
            var blobs = services.GetRequiredService<IOptions<BlobOptions>>().Value;
            return new GraphEngine(
                new ExecutionOptions { Timeout = worker.ExecutionTimeout, MaxValueBytes = blobs.MaxValueBytes },
                services.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton<WorkerInstance>();
        builder.Services.AddSingleton<RunningExecutions>();
        builder.Services.AddSingleton<DetachedExecutions>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DetachedExecutions>());
        builder.Services.AddSingleton<LeaseRenewal>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LeaseRenewal>());
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddOptions<LiveOptions>()
            .BindConfiguration(LiveOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RedisLiveEventPublisher>();
        builder.Services.AddSingleton<ILiveEventPublisher>(services => services.GetRequiredService<RedisLiveEventPublisher>());
        builder.Services.AddHostedService(services => services.GetRequiredService<RedisLiveEventPublisher>());
        builder.Services.AddScoped<ExecutionRunner>();

        // Telling of runs that end badly: error handlers start like any run, deliveries go out signed and retried.
        builder.Services.AddOptions<NotificationOptions>()
            .BindConfiguration(NotificationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<NotificationSender>();
        builder.Services.AddScoped<ExecutionStarter>();

        builder.AddMessageBus(bus =>
        {
            bus.AddConsumer<ExecuteGraphConsumer, ExecuteGraphConsumerDefinition>();
            bus.AddConsumer<ExecuteGraphFaultConsumer, ExecuteGraphFaultConsumerDefinition>();
            bus.AddConsumer<CancelExecutionConsumer, CancelExecutionConsumerDefinition>();
            bus.AddConsumer<ExecutionCompletedConsumer, ExecutionCompletedConsumerDefinition>();
        });
        return builder;
    }

    private static void MaskUrl(Activity activity, HttpRequestMessage? request)
    {
        if (request is not null && request.Options.TryGetValue(HttpBlockOptions.MaskedUrl, out var masked))
        {
            activity.SetTag("url.full", masked);
        }
    }
}
