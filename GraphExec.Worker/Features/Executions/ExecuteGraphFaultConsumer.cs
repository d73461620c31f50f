using GraphExec.Core.Executions;
using GraphExec.Core.Messages;
using GraphExec.Engine;
using MassTransit;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// An <see cref="ExecuteGraph"/> that failed even after retrying is in the <c>_error</c> queue with its reason; this marks
/// its execution Failed with that reason, unless it has ended or another worker holds it meanwhile. Failing one whose
/// worker was gone gives its slot back, and the parked execution that wakes is published here.
/// </summary>
public sealed partial class ExecuteGraphFaultConsumer(ExecutionStore store, TimeProvider time, ILogger<ExecuteGraphFaultConsumer> logger)
    : IConsumer<Fault<ExecuteGraph>>
{
    public async Task Consume(ConsumeContext<Fault<ExecuteGraph>> context)
    {
        var message = context.Message.Message;
        var reason = context.Message.Exceptions.FirstOrDefault() is { } exception
            ? $"{exception.ExceptionType}: {exception.Message}"
            : "unknown";
        var error = new ExecutionError(ExecutionError.WorkerFailed, $"The execution could not be run: {reason}");
        var (failed, woken, notify) = await store.FailUnclaimedAsync(message.OwnerId, message.ExecutionId, error, time.GetUtcNow(), context.CancellationToken);
        if (failed)
        {
            LogFailed(logger, message.ExecutionId);
        }

        foreach (var id in woken)
        {
            await context.Publish(new ExecuteGraph { OwnerId = message.OwnerId, ExecutionId = id });
        }

        if (notify)
        {
            await context.Publish(new ExecutionCompleted { OwnerId = message.OwnerId, ExecutionId = message.ExecutionId });
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} is marked Failed: its message faulted after retries")]
    private static partial void LogFailed(ILogger logger, Guid executionId);
}

/// <summary>Retries the marking while the database is away.</summary>
public sealed class ExecuteGraphFaultConsumerDefinition : ConsumerDefinition<ExecuteGraphFaultConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ExecuteGraphFaultConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(InfrastructureFaults.Retry);
}
