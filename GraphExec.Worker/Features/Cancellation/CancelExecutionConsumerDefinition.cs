using GraphExec.Worker.Features.Executions;
using MassTransit;

namespace GraphExec.Worker.Features.Cancellation;

/// <summary>
/// A queue per worker process (named after its instance), deleted when the process goes: the cancel exchange fans each
/// message out to every worker, since only the one running the execution can stop it. Cancels are cheap and few.
/// </summary>
public sealed class CancelExecutionConsumerDefinition : ConsumerDefinition<CancelExecutionConsumer>
{
    public CancelExecutionConsumerDefinition(WorkerInstance instance) =>
        Endpoint(endpoint =>
        {
            endpoint.Temporary = true;
            endpoint.InstanceId = instance.Id;
        });
}
