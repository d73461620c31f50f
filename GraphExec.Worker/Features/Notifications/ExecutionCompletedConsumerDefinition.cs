using GraphExec.Worker.Features.Executions;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GraphExec.Worker.Features.Notifications;

/// <summary>
/// The durable <c>execution-completed</c> queue. Deliveries wait for their receivers and their retries' backoff, so a
/// worker handles <see cref="NotificationOptions.ConcurrentNotifications"/> at once, apart from the executions' slots.
/// Infrastructure faults are retried with backoff; a message that still fails is left to the sweeper, which publishes
/// it again while the run's flag is set.
/// </summary>
public sealed class ExecutionCompletedConsumerDefinition : ConsumerDefinition<ExecutionCompletedConsumer>
{
    public ExecutionCompletedConsumerDefinition(IOptions<NotificationOptions> options) =>
        ConcurrentMessageLimit = options.Value.ConcurrentNotifications;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ExecutionCompletedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(InfrastructureFaults.Retry);
}
