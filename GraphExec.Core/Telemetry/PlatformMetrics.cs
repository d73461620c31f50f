using System.Diagnostics.Metrics;
using GraphExec.Core.Data;
using GraphExec.Engine;

namespace GraphExec.Core.Telemetry;

/// <summary>
/// The instruments that several services record the same way, on the GraphExec meter: executions created by each
/// trigger, quota refusals and webhook rejections. Static, because they are recorded from code that no container builds
/// (a delivery's refusals, the problem documents); every service's meter provider listens to the meter by name.
/// </summary>
public static class PlatformMetrics
{
    /// <summary>GraphExec's meter, named as its activity source (the services' OpenTelemetry setup listens to both).</summary>
    private static readonly Meter Meter = new(ExecutionTracing.SourceName);

    private static readonly Counter<long> Queued = Meter.CreateCounter<long>(
        "graphexec.executions.queued", "{execution}", "Executions created as Queued, by trigger: manual, webhook or schedule.");

    private static readonly Counter<long> QuotaRefusals = Meter.CreateCounter<long>(
        "graphexec.quota.refusals", "{request}", "Requests refused because a user was at a quota, by quota.");

    private static readonly Counter<long> WebhookRejections = Meter.CreateCounter<long>(
        "graphexec.webhook.rejections", "{delivery}",
        "Webhook deliveries refused, by reason: signature, not_found, too_large, bad_payload, quota, rate_limited, invalid_inputs.");

    public static void ExecutionsQueued(TriggerKind trigger, int count = 1)
    {
        if (count > 0)
        {
            Queued.Add(count, new KeyValuePair<string, object?>("trigger", TriggerName(trigger)));
        }
    }

    public static void QuotaRefused(string quota, int count = 1)
    {
        if (count > 0)
        {
            QuotaRefusals.Add(count, new KeyValuePair<string, object?>("quota", quota));
        }
    }

    public static void WebhookRejected(string reason) => WebhookRejections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A trigger's name as every metric tags it.</summary>
    public static string TriggerName(TriggerKind trigger) => trigger switch
    {
        TriggerKind.Manual => "manual",
        TriggerKind.Webhook => "webhook",
        TriggerKind.Schedule => "schedule",
        _ => trigger.ToString().ToLowerInvariant(),
    };
}

/// <summary>The <c>reason</c> tag values of <c>graphexec.webhook.rejections</c>.</summary>
public static class WebhookRejectionReasons
{
    public const string Signature = "signature";
    public const string NotFound = "not_found";
    public const string TooLarge = "too_large";
    public const string BadPayload = "bad_payload";
    public const string InvalidInputs = "invalid_inputs";
    public const string Quota = "quota";
    public const string RateLimited = "rate_limited";

    /// <summary>The reason a refusal's status code stands for.</summary>
    public static string Of(int statusCode) => statusCode switch
    {
        401 => Signature,
        404 => NotFound,
        413 => TooLarge,
        429 => RateLimited,
        _ => BadPayload,
    };
}
