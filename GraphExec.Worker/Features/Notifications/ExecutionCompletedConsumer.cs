using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Messages;
using GraphExec.Core.Notifications;
using GraphExec.Hosting;
using GraphExec.Hosting.Secrets;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Worker.Features.Notifications;

/// <summary>
/// Tells whoever a graph names of one of its runs ending: starts the graph's error handler with the run's summary, and
/// delivers the summary to the graph's notification endpoints for that status; then clears the run's <c>notify</c>
/// flag. Each step is safe to repeat (a redelivered message, or the sweeper publishing again after a crash): the
/// handler's start is deduplicated by its trigger ref, the failed run's id, and a delivery keeps its <c>webhook-id</c>.
/// A message for a run whose flag is cleared already does nothing.
/// </summary>
public sealed partial class ExecutionCompletedConsumer(
    DatabaseSchema schema,
    GraphExecDbContext db,
    ExecutionStore store,
    ExecutionStarter starter,
    NotificationSender sender,
    SecretProtection protection,
    ILogger<ExecutionCompletedConsumer> logger) : IConsumer<ExecutionCompleted>
{
    public async Task Consume(ConsumeContext<ExecutionCompleted> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        await schema.Migrated.WaitAsync(cancellationToken);

        var execution = await db.Executions.AsNoTracking()
            .SingleOrDefaultAsync(e => e.OwnerId == message.OwnerId && e.Id == message.ExecutionId && e.Notify, cancellationToken);
        if (execution is null)
        {
            return;
        }

        var graph = await db.Graphs.AsNoTracking()
            .Where(g => g.OwnerId == execution.OwnerId && g.Id == execution.GraphId)
            .Select(g => new { g.Name, g.ErrorGraphId, g.DeletedAt })
            .SingleAsync(cancellationToken);
        var summary = ExecutionSummary.Of(execution, graph.Name);

        if (graph.ErrorGraphId is { } handlerId && graph.DeletedAt is null && execution.Trigger != TriggerKind.Error
            && NotificationEvents.ErrorHandled.Contains(execution.Status))
        {
            await StartHandlerAsync(execution, handlerId, summary, cancellationToken);
        }

        var endpoints = await db.NotificationEndpoints.AsNoTracking()
            .Where(n => n.OwnerId == execution.OwnerId && n.GraphId == execution.GraphId && n.Enabled)
            .ToListAsync(cancellationToken);
        var body = ExecutionSummary.Delivery(execution, summary);
        await Task.WhenAll(endpoints.Where(n => n.Events.Contains(execution.Status)).Select(n => DeliverAsync(execution, n, body, cancellationToken)));

        await store.NotifiedAsync(execution.OwnerId, execution.Id, cancellationToken);
    }

    /// <summary>
    /// Starts the handler's newest version through <see cref="ExecutionStarter"/>, like any trigger; its trigger ref, the
    /// failed run's id, makes a repeated start find the first one. A handler deleted since is skipped.
    /// </summary>
    private async Task StartHandlerAsync(Execution failed, Guid handlerId, JsonObject summary, CancellationToken cancellationToken)
    {
        var version = await db.Graphs.AsNoTracking()
            .Where(g => g.OwnerId == failed.OwnerId && g.Id == handlerId && g.DeletedAt == null)
            .Select(g => (int?)g.Version)
            .SingleOrDefaultAsync(cancellationToken);
        if (version is null)
        {
            LogHandlerMissing(logger, failed.Id, handlerId);
            return;
        }

        var started = await starter.StartAsync(
            new StartExecution(failed.OwnerId, handlerId, version.Value, TriggerKind.Error, failed.Id.ToString(),
                new JsonObject { [ExecutionSummary.InputName] = summary.DeepClone() }, Live: false),
            cancellationToken);
        if (started.OverQuota is not null || started.TooLarge is not null)
        {
            // Not lost: the flag stays set until the message is consumed, and the retry policy, then the sweeper, try again.
            throw new InvalidOperationException($"The error handler of execution {failed.Id} could not be started: {started.OverQuota?.Message ?? started.TooLarge?.Message}");
        }

        LogHandlerStarted(logger, failed.Id, started.ExecutionId);
    }

    private async Task DeliverAsync(Execution execution, NotificationEndpoint endpoint, string body, CancellationToken cancellationToken)
    {
        var secret = protection.UnprotectNotificationSecret(endpoint.Id, endpoint.Secret);
        var outcome = await sender.SendAsync(
            new NotificationDelivery(new Uri(endpoint.Url), secret, ExecutionSummary.DeliveryId(execution.Id, endpoint.Id), body),
            cancellationToken);
        if (outcome.Delivered)
        {
            LogDelivered(logger, execution.Id, endpoint.Id, outcome.Attempts);
        }
        else
        {
            LogUndelivered(logger, execution.Id, endpoint.Id, outcome.StatusCode, outcome.Attempts);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} started its error handler as execution {HandlerExecutionId}")]
    private static partial void LogHandlerStarted(ILogger logger, Guid executionId, Guid handlerExecutionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} names error handler {HandlerId}, which no longer exists")]
    private static partial void LogHandlerMissing(ILogger logger, Guid executionId, Guid handlerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification of execution {ExecutionId} delivered to endpoint {EndpointId} in {Attempts} attempts")]
    private static partial void LogDelivered(ILogger logger, Guid executionId, Guid endpointId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Notification of execution {ExecutionId} to endpoint {EndpointId} was given up after {Attempts} attempts (last status {StatusCode})")]
    private static partial void LogUndelivered(ILogger logger, Guid executionId, Guid endpointId, int? statusCode, int attempts);
}
