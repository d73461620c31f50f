using GraphExec.ServiceDefaults;

namespace GraphExec.Webhooks.Extensions;

public static class WebhookIngressExtensions
{
    public static IHostApplicationBuilder AddWebhookIngress(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecDatabase();
        // Webhook definitions are cached in Redis so that the hot path costs one database write.
        builder.AddGraphExecCache();
        builder.AddMessageBus();
        return builder;
    }
}
