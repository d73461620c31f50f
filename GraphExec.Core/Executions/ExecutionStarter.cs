using GraphExec.Core.Data;
using GraphExec.Core.Engine;
using GraphExec.Core.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GraphExec.Core.Executions;

/// <summary>
/// The one way every trigger (manual, webhook, schedule) and the sweeper start an execution: insert the row as Queued,
/// then publish <see cref="ExecuteGraph"/>. The row is the outbox: when the publish fails it stays Queued and the
/// sweeper publishes it again, so nothing that was accepted is lost.
/// </summary>
public sealed partial class ExecutionStarter(
    GraphExecDbContext db, IPublishEndpoint publisher, TimeProvider time, ILogger<ExecutionStarter> logger)
{
    /// <summary>Long enough for a broker with publisher confirms under load; the sweeper covers anything slower.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    public async Task<StartedExecution> StartAsync(StartExecution request, CancellationToken cancellationToken)
    {
        if (request.TriggerRef is not null && await FindAsync(request, cancellationToken) is { } existing)
        {
            return new StartedExecution(existing, Created: false);
        }

        var execution = new Execution
        {
            OwnerId = request.OwnerId,
            Id = Guid.CreateVersion7(),
            GraphId = request.GraphId,
            GraphVersion = request.GraphVersion,
            Trigger = request.Trigger,
            TriggerRef = request.TriggerRef,
            Status = ExecutionStatus.Queued,
            Live = request.Live,
            Inputs = request.Inputs.ToJsonString(),
            QueuedAt = time.GetUtcNow(),
        };
        db.Executions.Add(execution);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (IsDuplicateTrigger(exception))
        {
            // The same event arrived twice at once and the other request inserted first.
            db.Entry(execution).State = EntityState.Detached;
            var winner = await FindAsync(request, cancellationToken)
                ?? throw new InvalidOperationException("A duplicate trigger was reported, but its execution is gone.", exception);
            return new StartedExecution(winner, Created: false);
        }

        await PublishAsync(execution);
        return new StartedExecution(execution.Id, Created: true);
    }

    /// <summary>Publishes (again) an execution whose row exists; never throws, as the row is what counts.</summary>
    public async Task<bool> PublishAsync(Execution execution)
    {
        // Not the caller's token: once the row exists, a client that hangs up must not cancel the publish.
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await publisher.Publish(new ExecuteGraph { OwnerId = execution.OwnerId, ExecutionId = execution.Id }, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogPublishFailed(logger, exception, execution.Id);
            return false;
        }
    }

    private Task<Guid?> FindAsync(StartExecution request, CancellationToken cancellationToken) =>
        db.Executions
            .Where(e => e.OwnerId == request.OwnerId && e.Trigger == request.Trigger && e.TriggerRef == request.TriggerRef)
            .Select(e => (Guid?)e.Id)
            .SingleOrDefaultAsync(cancellationToken);

    private static bool IsDuplicateTrigger(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
        && postgres.ConstraintName == GraphExecDbContext.TriggerRefIndex;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Execution {ExecutionId} is stored as Queued but its ExecuteGraph could not be published; the sweeper will publish it")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid executionId);
}
