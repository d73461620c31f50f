using GraphExec.Core.Data;
using GraphExec.Core.Quotas;
using GraphExec.Core.Telemetry;
using GraphExec.Hosting;
using GraphExec.Engine.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>
/// Refuses deliveries to one webhook: each refusal answers an RFC 9457 problem document and is recorded for the owner's
/// deliveries list with its reason, never the payload.
/// </summary>
public sealed partial class DeliveryRefusals(WebhookDefinition webhook, DeliveryRecorder recorder, ILogger logger)
{
    public const string NotJsonTitle = "The body is not JSON.";

    /// <summary>The answer for a webhook id that names no webhook; not recorded, as there is no owner to record it for.</summary>
    public static ProblemHttpResult UnknownWebhook()
    {
        PlatformMetrics.WebhookRejected(WebhookRejectionReasons.NotFound);
        return TypedResults.Problem(title: "The webhook does not exist.", statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>429 for an address that sent too many deliveries to webhooks that do not exist (see <see cref="UnknownWebhookLimiter"/>).</summary>
    public static ProblemHttpResult TooManyUnknown(HttpResponse response)
    {
        PlatformMetrics.WebhookRejected(WebhookRejectionReasons.RateLimited);
        response.Headers.RetryAfter = "60";
        return TypedResults.Problem(
            title: "Too many deliveries to webhooks that do not exist.",
            detail: "This address sent too many deliveries to unknown webhook URLs; try again in a minute.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary>A refusal the sender can act on, logged so that a sender's mistakes can be followed.</summary>
    public ProblemHttpResult Refuse(int statusCode, string title, string detail, string? deliveryId = null)
    {
        recorder.Record(webhook, statusCode, deliveryId, executionId: null, rejection: $"{title} {detail}");
        PlatformMetrics.WebhookRejected(WebhookRejectionReasons.Of(statusCode));
        LogRefused(logger, webhook.Id, statusCode, title);
        return TypedResults.Problem(title: title, detail: detail, statusCode: statusCode);
    }

    /// <summary>429 for an owner with as many executions queued as the quota allows; the sender's retry gets through later.</summary>
    public ProblemHttpResult OverQuota(string deliveryId, QuotaExceeded exceeded, HttpResponse response)
    {
        recorder.Record(webhook, StatusCodes.Status429TooManyRequests, deliveryId, executionId: null, rejection: exceeded.Message);
        PlatformMetrics.WebhookRejected(WebhookRejectionReasons.Quota);
        LogRefused(logger, webhook.Id, StatusCodes.Status429TooManyRequests, exceeded.Message);
        return QuotaProblems.Waiting(exceeded, response);
    }

    /// <summary>
    /// Answers as for an unknown webhook, so that the sender learns nothing of a webhook that is disabled or whose graph
    /// was deleted; the owner reads the <paramref name="reason"/> in the deliveries list.
    /// </summary>
    public ProblemHttpResult AsUnknown(string? deliveryId, string reason)
    {
        recorder.Record(webhook, StatusCodes.Status404NotFound, deliveryId, executionId: null, rejection: reason);
        return UnknownWebhook();
    }

    /// <summary>400 with every input at fault under its JSON pointer.</summary>
    public ValidationProblem Misfit(string deliveryId, IReadOnlyList<ValidationError> errors)
    {
        recorder.Record(webhook, StatusCodes.Status400BadRequest, deliveryId, executionId: null,
            rejection: "The inputs do not fit the graph: " + string.Join(" ", errors.Select(error => error.Message)));
        PlatformMetrics.WebhookRejected(WebhookRejectionReasons.InvalidInputs);
        return TypedResults.ValidationProblem(
            errors.GroupBy(error => error.Pointer).ToDictionary(group => group.Key, group => group.Select(error => error.Message).ToArray()),
            title: "The inputs do not fit the graph.");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {WebhookId} refused a delivery with {StatusCode}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid webhookId, int statusCode, string reason);
}
