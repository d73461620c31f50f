using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Graphs;
using GraphExec.Hosting;
using GraphExec.Hosting.Blobs;
using GraphExec.Hosting.Secrets;
using GraphExec.ServiceDefaults;
using GraphExec.Webhooks.Features.Ingress;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace GraphExec.Webhooks.Extensions;

public static class WebhookIngressExtensions
{
    public static IHostApplicationBuilder AddWebhookIngress(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecDatabase();
        // Webhook definitions are cached in Redis so that the hot path costs one database write.
        builder.AddGraphExecCache();
        builder.AddMessageBus();
        // Inputs above the inline threshold go to blob storage before their execution is inserted.
        builder.AddGraphExecBlobs();
        builder.AddGraphExecSecrets(makesKeys: false);

        var services = builder.Services;
        services.AddOptions<WebhookIngressOptions>().BindConfiguration(WebhookIngressOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Kestrel refuses larger bodies too; the ingress enforces the same limit itself while reading.
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<WebhookIngressOptions>>((kestrel, ingress) => kestrel.Limits.MaxRequestBodySize = ingress.Value.MaxBodyBytes);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddIngressRateLimiting();

        services.AddScoped<WebhookCache>();
        services.AddSingleton<UnknownWebhookLimiter>();
        services.AddScoped<NewestPlans>();
        services.AddScoped<ExecutionStarter>();
        services.AddSingleton<CompletionWait>();
        services.AddSingleton<DeliveryRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<DeliveryRecorder>());
        return builder;
    }

    public static WebApplication MapWebhookIngress(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.WaitForDatabaseSchema("/hooks");
        app.MapIngressApi();
        return app;
    }
}
