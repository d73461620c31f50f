using GraphExec.Core.Messages;
using GraphExec.Worker.Features.Executions;
using MassTransit;

namespace GraphExec.Worker.Features.Cancellation;

/// <summary>Stops the run of an execution if this process runs it; every worker receives every cancel, the others ignore it.</summary>
public sealed partial class CancelExecutionConsumer(RunningExecutions running, ILogger<CancelExecutionConsumer> logger) : IConsumer<CancelExecution>
{
    public Task Consume(ConsumeContext<CancelExecution> context)
    {
        if (running.Cancel(context.Message.OwnerId, context.Message.ExecutionId))
        {
            LogCancelling(logger, context.Message.ExecutionId);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancelling execution {ExecutionId} at its owner's request")]
    private static partial void LogCancelling(ILogger logger, Guid executionId);
}
