using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Graphs;
using GraphExec.Hosting.Secrets;
using Microsoft.Extensions.Options;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>What receiving a delivery takes from the container, bundled so that the handler lists only what comes from the request.</summary>
public sealed class IngressServices(
    WebhookCache webhooks,
    UnknownWebhookLimiter unknownWebhooks,
    DeliveryRecorder recorder,
    NewestPlans plans,
    ExecutionStarter starter,
    CompletionWait completions,
    GraphExecDbContext db,
    IOptions<WebhookIngressOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    SecretProtection protection)
{
    /// <summary>Decrypts the webhook's secrets, which the caches and the database hold encrypted.</summary>
    public SecretProtection Protection { get; } = protection;

    public WebhookCache Webhooks { get; } = webhooks;

    public UnknownWebhookLimiter UnknownWebhooks { get; } = unknownWebhooks;

    public DeliveryRecorder Recorder { get; } = recorder;

    public NewestPlans Plans { get; } = plans;

    public ExecutionStarter Starter { get; } = starter;

    /// <summary>The <c>?wait=</c> of a delivery.</summary>
    public CompletionWait Completions { get; } = completions;

    public GraphExecDbContext Db { get; } = db;

    public IOptions<WebhookIngressOptions> Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILoggerFactory Loggers { get; } = loggers;
}
