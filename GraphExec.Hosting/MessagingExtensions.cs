using GraphExec.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GraphExec.Hosting;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ from the <c>rabbitmq</c> connection string (<c>amqp://user:password@host:port/vhost</c>).
    /// MassTransit registers its own bus health check, so <c>/health</c> fails while the broker is unreachable.
    /// </summary>
    public static TBuilder AddMessageBus<TBuilder>(this TBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionNames.MessageBroker);
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var brokerUri))
        {
            throw new InvalidOperationException(
                $"The connection string '{ConnectionNames.MessageBroker}' must be an amqp:// URI; it is missing or malformed.");
        }

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(MassTransit.Logging.DiagnosticHeaders.DefaultListenerName))
            .WithMetrics(metrics => metrics.AddMeter(MassTransit.Monitoring.InstrumentationOptions.MeterName));

        var quorumQueues = new QuorumQueues();
        builder.Services.AddSingleton(quorumQueues);
        // Before AddMassTransit: hosted services start in the order they are added, so the queues are fixed before the bus declares them.
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<QuorumQueueMigration>(services, brokerUri));

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.AddConfigureEndpointsCallback(quorumQueues.Configure);
            // MassTransit otherwise reports usage to its vendor's server: no service here calls out to the internet.
            bus.DisableUsageTelemetry();
            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(brokerUri);
                rabbit.ConfigureEndpoints(context);
            });
        });

        return builder;
    }
}
