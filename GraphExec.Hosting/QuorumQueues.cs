using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;

namespace GraphExec.Hosting;

/// <summary>
/// The one rule for queue types: every durable receive endpoint is a RabbitMQ quorum queue, so that a clustered broker
/// keeps the work it holds when a node goes. MassTransit declares an endpoint's <c>_error</c> and <c>_skipped</c>
/// queues with the endpoint's queue arguments, so they are quorum queues too. A temporary endpoint (auto-delete, such
/// as the Worker's per-process cancel queue) stays classic: a quorum queue can be neither auto-delete nor exclusive,
/// and a queue that dies with its process has nothing to keep.
/// </summary>
public sealed class QuorumQueues
{
    private readonly List<string> _names = [];

    /// <summary>The queues the bus declares as quorum queues, each with its <c>_error</c> and <c>_skipped</c> queues.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_names)
            {
                return [.. _names.SelectMany(name => new[] { name, $"{name}_error", $"{name}_skipped" })];
            }
        }
    }

    /// <summary>For <see cref="IBusRegistrationConfigurator.AddConfigureEndpointsCallback(ConfigureEndpointsCallback)"/>.</summary>
    public void Configure(string queueName, IReceiveEndpointConfigurator endpoint)
    {
        // The settings are read after MassTransit applied the endpoint definition, which makes a temporary endpoint
        // non-durable and auto-delete.
        if (endpoint is not (IRabbitMqReceiveEndpointConfigurator rabbit and IRabbitMqReceiveEndpointConfiguration { Settings: { Durable: true, AutoDelete: false } }))
        {
            return;
        }

        rabbit.SetQuorumQueue();
        lock (_names)
        {
            _names.Add(queueName);
        }
    }
}
