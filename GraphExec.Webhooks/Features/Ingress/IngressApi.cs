using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.Engine.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphExec.Webhooks.Features.Ingress;

public static partial class IngressApi
{
    public const string WebhookIdRouteValue = "webhookId";

    /// <summary>The longest <c>?wait=</c>, in seconds; senders usually give up after 30 s.</summary>
    public const int MaxWaitSeconds = 30;

    /// <summary>The trigger ref is the webhook id, a colon and the delivery id, in a column of 300 characters.</summary>
    private const int MaxDeliveryIdLength = 256;

    private static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEndpointRouteBuilder MapIngressApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost($"/hooks/{{{WebhookIdRouteValue}:guid}}", ReceiveAsync)
            .WithName("ReceiveWebhook")
            .WithTags("Webhooks")
            .WithSummary("Receives a signed delivery: starts the graph's newest version with the body's top-level properties as inputs; answers 202 with the execution id, the same one for a repeated delivery.")
            .RequireRateLimiting(IngressRateLimiting.PerWebhookPolicy);
        return routes;
    }

    public static async Task<Results<Accepted<WebhookAccepted>, Ok<WebhookCompleted>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        Guid webhookId, int? wait, HttpRequest request, WebhookCache webhooks, DeliveryRecorder recorder, GraphExecDbContext db,
        GraphVersionCache versions, PlanCache plans, ExecutionStarter starter, IOptions<WebhookIngressOptions> options,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var webhook = await webhooks.GetAsync(webhookId, cancellationToken);
        if (webhook is null)
        {
            return NoSuchWebhook();
        }

        var logger = loggers.CreateLogger(typeof(IngressApi));
        ProblemHttpResult Refuse(int status, string title, string detail, string? deliveryId = null)
        {
            recorder.Record(webhook, status, deliveryId, executionId: null, rejection: $"{title} {detail}");
            LogRefused(logger, webhook.Id, status, title);
            return TypedResults.Problem(title: title, detail: detail, statusCode: status);
        }

        if (!webhook.Enabled)
        {
            recorder.Record(webhook, StatusCodes.Status404NotFound, null, null, "The webhook is disabled.");
            return NoSuchWebhook();
        }

        if (wait is < 0 or > MaxWaitSeconds)
        {
            return Refuse(StatusCodes.Status400BadRequest, "The wait is out of range.", $"wait must be between 0 and {MaxWaitSeconds} seconds.");
        }

        if (!request.HasJsonContentType())
        {
            return Refuse(StatusCodes.Status415UnsupportedMediaType, "The body is not JSON.", "Send Content-Type: application/json.");
        }

        var maxBytes = options.Value.MaxBodyBytes;
        var bytes = await RequestBody.ReadAsync(request, maxBytes, cancellationToken);
        if (bytes is null)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"A delivery may have at most {maxBytes} bytes.");
        }

        string body;
        try
        {
            body = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Refuse(StatusCodes.Status415UnsupportedMediaType, "The body is not JSON.", "The body is not valid UTF-8.");
        }

        var signature = DeliverySignature.Verify(webhook, request.Headers, body, time.GetUtcNow());
        if (!signature.IsValid)
        {
            return Refuse(StatusCodes.Status401Unauthorized, "The signature is not valid.", signature.Failure!, signature.DeliveryId);
        }

        var deliveryId = signature.DeliveryId!;
        if (deliveryId.Length > MaxDeliveryIdLength)
        {
            return Refuse(StatusCodes.Status400BadRequest, "The delivery id is too long.", $"It may have at most {MaxDeliveryIdLength} characters.");
        }

        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return Refuse(StatusCodes.Status415UnsupportedMediaType, "The body is not JSON.", "The body does not parse as JSON.", deliveryId);
        }

        // A JSON object's properties are the inputs; any other value is the input "body".
        var inputs = payload as JsonObject ?? new JsonObject { ["body"] = payload };

        var version = await db.Graphs.AsNoTracking()
            .Where(g => g.OwnerId == webhook.OwnerId && g.Id == webhook.GraphId && g.DeletedAt == null)
            .Select(g => (int?)g.Version)
            .SingleOrDefaultAsync(cancellationToken);
        ExecutionPlan? plan;
        try
        {
            plan = version is null ? null
                : await plans.GetAsync(webhook.OwnerId, new GraphReference(webhook.GraphId, version.Value), versions, cancellationToken);
        }
        catch (InvalidGraphException exception)
        {
            return Refuse(StatusCodes.Status409Conflict, "The graph's saved version is no longer valid.", exception.Message, deliveryId);
        }

        if (plan is null)
        {
            recorder.Record(webhook, StatusCodes.Status404NotFound, deliveryId, null, "The webhook's graph was deleted.");
            return NoSuchWebhook();
        }

        var inputErrors = InputCheck.Check(plan.Inputs, inputs, rejectUnknown: false);
        if (inputErrors.Count > 0)
        {
            recorder.Record(webhook, StatusCodes.Status400BadRequest, deliveryId, null,
                "The inputs do not fit the graph: " + string.Join(" ", inputErrors.Select(error => error.Message)));
            return TypedResults.ValidationProblem(
                inputErrors.GroupBy(error => error.Pointer).ToDictionary(group => group.Key, group => group.Select(error => error.Message).ToArray()),
                title: "The inputs do not fit the graph.");
        }

        var started = await starter.StartAsync(
            new StartExecution(webhook.OwnerId, webhook.GraphId, version!.Value, TriggerKind.Webhook, $"{webhook.Id}:{deliveryId}", inputs, Live: false),
            cancellationToken);
        recorder.Record(webhook, StatusCodes.Status202Accepted, deliveryId, started.ExecutionId, rejection: null);

        if (wait is > 0 && await WaitForCompletionAsync(db, webhook.OwnerId, started.ExecutionId, TimeSpan.FromSeconds(wait.Value), time, cancellationToken)
            is { } completed)
        {
            return TypedResults.Ok(completed);
        }

        return TypedResults.Accepted((string?)null, new WebhookAccepted(started.ExecutionId));
    }

    /// <summary>Records a delivery the rate limiter refused, when its webhook exists; never fails the answer.</summary>
    internal static async Task RecordRateLimitedAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (!Guid.TryParse(context.Request.RouteValues[WebhookIdRouteValue]?.ToString(), out var webhookId)
                || await context.RequestServices.GetRequiredService<WebhookCache>().GetAsync(webhookId, cancellationToken) is not { } webhook)
            {
                return;
            }

            var headers = context.Request.Headers;
            var deliveryId = webhook.Scheme == WebhookScheme.GitHub
                ? headers[DeliverySignature.GitHubDeliveryHeader].ToString()
                : headers[DeliverySignature.IdHeader].ToString();
            context.RequestServices.GetRequiredService<DeliveryRecorder>().Record(
                webhook, StatusCodes.Status429TooManyRequests, deliveryId.Length > 0 ? deliveryId : null, null, "Too many deliveries for this webhook.");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException and not OperationCanceledException)
        {
            // Best effort: the 429 goes out whatever happens here.
        }
    }

    private static async Task<WebhookCompleted?> WaitForCompletionAsync(
        GraphExecDbContext db, Guid ownerId, Guid executionId, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var execution = await db.Executions.AsNoTracking()
                .Where(e => e.OwnerId == ownerId && e.Id == executionId)
                .Select(e => new { e.Status, e.Outputs, e.Error })
                .SingleAsync(cancellationToken);
            if (execution.Status is not (ExecutionStatus.Queued or ExecutionStatus.Running))
            {
                return new WebhookCompleted(executionId, execution.Status, Parse(execution.Outputs), Parse(execution.Error));
            }

            if (time.GetUtcNow() + WaitPollInterval > deadline)
            {
                return null;
            }

            await Task.Delay(WaitPollInterval, time, cancellationToken);
        }
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static ProblemHttpResult NoSuchWebhook() =>
        TypedResults.Problem(title: "The webhook does not exist.", statusCode: StatusCodes.Status404NotFound);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {WebhookId} refused a delivery with {StatusCode}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid webhookId, int statusCode, string reason);
}
