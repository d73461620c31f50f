using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Graphs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GraphExec.Webhooks.Features.Ingress;

public static class IngressApi
{
    public const string WebhookIdRouteValue = "webhookId";

    /// <summary>The longest <c>?wait=</c>, in seconds; senders usually give up after 30 s.</summary>
    public const int MaxWaitSeconds = 30;

    public static IEndpointRouteBuilder MapIngressApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost($"/hooks/{{{WebhookIdRouteValue}:guid}}", ReceiveAsync)
            .WithName("ReceiveWebhook")
            .WithTags("Webhooks")
            .WithSummary("Receives a signed delivery: starts the graph's newest version with the body's top-level properties as inputs; answers 202 with the execution id, the same one for a repeated delivery.")
            .RequireRateLimiting(IngressRateLimiting.PerWebhookPolicy);
        return routes;
    }

    /// <summary>
    /// Authenticates the delivery, reads its inputs, resolves the graph's newest plan, checks the inputs against it and starts
    /// the run; with <c>?wait=</c>, answers the outputs when the run finishes within the wait. Every step that refuses the
    /// delivery answers a problem document and records why.
    /// </summary>
    public static async Task<Results<Accepted<WebhookAccepted>, Ok<WebhookCompleted>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        Guid webhookId, int? wait, HttpRequest request, [AsParameters] IngressServices services, CancellationToken cancellationToken)
    {
        var authentication = await DeliveryAuthentication.AuthenticateAsync(webhookId, wait, request, services, cancellationToken);
        if (authentication.IsRefused(out var refusal, out var delivery))
        {
            return refusal;
        }

        if (DeliveryInputs.Read(delivery).IsRefused(out refusal, out var inputs))
        {
            return refusal;
        }

        if ((await ResolvePlanAsync(delivery, services.Plans, cancellationToken)).IsRefused(out refusal, out var newest))
        {
            return refusal;
        }

        if (DeliveryInputs.Check(delivery, inputs, newest.Plan) is { } misfit)
        {
            return misfit;
        }

        var started = await StartAsync(delivery, newest.Version, inputs, services, cancellationToken);
        if (started.OverQuota is { } overQuota)
        {
            return delivery.Refusals.OverQuota(delivery.Id, overQuota, request.HttpContext.Response);
        }

        if (started.TooLarge is { } tooLarge)
        {
            return delivery.Refusals.Refuse(StatusCodes.Status413PayloadTooLarge, $"The input '{tooLarge.Name}' is too large.", tooLarge.Message, delivery.Id);
        }

        var executionId = started.ExecutionId;
        return wait is > 0 && await services.Completions.ForCompletionAsync(
                services.Db, delivery.Webhook.OwnerId, executionId, started.Created, TimeSpan.FromSeconds(wait.Value), services.Time, cancellationToken) is { } completed
            ? TypedResults.Ok(completed)
            : TypedResults.Accepted((string?)null, new WebhookAccepted(executionId));
    }

    private static async Task<Checked<NewestPlan.Found>> ResolvePlanAsync(
        AuthenticDelivery delivery, NewestPlans plans, CancellationToken cancellationToken) =>
        await plans.GetAsync(delivery.Webhook.OwnerId, delivery.Webhook.GraphId, cancellationToken) switch
        {
            NewestPlan.Found found => found,
            NewestPlan.NoLongerValid invalid => delivery.Refusals.Refuse(
                StatusCodes.Status409Conflict, "The graph's saved version is no longer valid.", invalid.Message, delivery.Id),
            _ => delivery.Refusals.AsUnknown(delivery.Id, "The webhook's graph was deleted."),
        };

    /// <summary>
    /// Starts the run, or finds the one the same delivery started before: the trigger ref (webhook and the delivery's
    /// <see cref="AuthenticDelivery.ReplayKey"/>) is unique, which is what makes a repeated delivery answer the same execution.
    /// A refusal (the owner's queue is full, an input too large to store) is recorded by the caller.
    /// </summary>
    private static async Task<StartedExecution> StartAsync(
        AuthenticDelivery delivery, int version, JsonObject inputs, IngressServices services, CancellationToken cancellationToken)
    {
        var webhook = delivery.Webhook;
        var started = await services.Starter.StartAsync(
            new StartExecution(webhook.OwnerId, webhook.GraphId, version, TriggerKind.Webhook, $"{webhook.Id}:{delivery.ReplayKey}", inputs, Live: false),
            cancellationToken);
        if (started.OverQuota is null && started.TooLarge is null)
        {
            services.Recorder.Record(webhook, StatusCodes.Status202Accepted, delivery.Id, started.ExecutionId, rejection: null);
        }

        return started;
    }
}
