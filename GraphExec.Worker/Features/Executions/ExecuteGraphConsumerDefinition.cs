using MassTransit;
using Microsoft.Extensions.Options;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// The durable <c>execute-graph</c> queue. A worker runs <see cref="WorkerOptions.ConcurrentExecutions"/> executions at
/// once (most of a run's time is I/O: the database, http and delay nodes) and prefetches a few more. Infrastructure
/// faults are retried with backoff, then the message goes to <c>execute-graph_error</c>; a redelivered message whose
/// execution is leased elsewhere is retried every quarter lease. A graph that fails is not an exception: it is stored.
/// </summary>
public sealed class ExecuteGraphConsumerDefinition : ConsumerDefinition<ExecuteGraphConsumer>
{
    private readonly WorkerOptions _options;

    public ExecuteGraphConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentExecutions;
        Endpoint(endpoint => endpoint.PrefetchCount = _options.PrefetchCount);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ExecuteGraphConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(InfrastructureFaults.Retry);
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<LeaseHeldElsewhereException>();
            retry.Interval(_options.LeaseWaitRetries, _options.LeaseWaitInterval);
        });
    }
}
