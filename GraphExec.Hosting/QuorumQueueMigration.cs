using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace GraphExec.Hosting;

/// <summary>
/// Before the bus starts, turns each of <see cref="QuorumQueues.Names"/> that a broker still has as a classic queue
/// (declared by an earlier version) into a quorum queue, keeping its messages. Without this the bus would redeclare it,
/// the broker would refuse (PRECONDITION_FAILED, inequivalent arg 'x-queue-type') and the endpoint would never start.
/// <para>
/// A queue cannot change type in place and two queues cannot share a name, so the messages go through a holding quorum
/// queue, <c>{name}.to-quorum</c>, that is bound to the queue's exchange <em>before</em> the classic queue is unbound:
/// nothing published meanwhile is dropped as unroutable, at the price of a message published in that instant being in
/// both (the consumers take duplicates already). Each message is copied with publisher confirms before the original
/// is acknowledged, so a crash leaves a duplicate, never a loss, and the next start resumes from whatever is left. Deleting
/// the classic queue only if it is empty and unused lets the broker, not this code, decide that nothing is lost.
/// Replicas that start together take turns through a broker-side lock, so one never deletes a queue another is moving into.
/// A classic queue that still has consumers (workers of the earlier version) stops the start with a message that says so.
/// </para>
/// Registered before MassTransit's hosted service: hosted services start one after another in the order they were added,
/// so the bus starts after this. While the broker is unreachable the service's start waits here, retrying with backoff;
/// with no broker the bus could do nothing either. A service without durable endpoints never connects here.
/// </summary>
internal sealed partial class QuorumQueueMigration(
    IBus bus, QuorumQueues quorumQueues, Uri brokerUri, ILogger<QuorumQueueMigration> logger) : IHostedService
{
    private const string HoldingSuffix = ".to-quorum";
    private const ushort NotFound = 404;
    private const ushort ResourceLocked = 405;
    private const ushort PreconditionFailed = 406;
    private const string LockQueue = "graphexec.quorum-migration.lock";

    private static readonly Dictionary<string, object?> QuorumArguments = new() { [RabbitMQ.Client.Headers.XQueueType] = "quorum" };

    private readonly ResiliencePipeline _retry = StartupRetry.UntilAvailable(
        exception => exception is BrokerUnreachableException or AlreadyClosedException or MigrationBusyException,
        (delay, reason) => LogRetrying(logger, delay, reason));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The bus records its quorum queues as it configures its endpoints, which it does when it is first resolved (as
        // the parameter of this service): the names are complete here.
        LogChecking(logger, bus.Address);
        var names = quorumQueues.Names;
        if (names.Count == 0)
        {
            return;
        }

        await _retry.ExecuteAsync(async token => await MigrateAsync(names, token), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = brokerUri, ClientProvidedName = nameof(QuorumQueueMigration) };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var migrationLock = await LockAsync(connection, cancellationToken);
        foreach (var name in names)
        {
            var holding = name + HoldingSuffix;
            if (await ClassicConsumersAsync(connection, name, cancellationToken) is { } consumers)
            {
                if (consumers > 0)
                {
                    throw new InvalidOperationException(
                        $"RabbitMQ queue '{name}' is a classic queue with {consumers} consumer(s), most likely services of an earlier version. " +
                        "It must become a quorum queue, which cannot happen while it is in use: stop those consumers, then start this service again; " +
                        "it moves the queue's messages into the quorum queue.");
                }

                await MoveAsync(connection, name, holding, sourceIsClassic: true, cancellationToken);
            }

            if (await ExistsAsync(connection, holding, cancellationToken))
            {
                // After the move above, or left by a start that stopped half-way.
                await MoveAsync(connection, holding, name, sourceIsClassic: false, cancellationToken);
                LogMigrated(logger, name);
            }
        }
    }

    /// <summary>
    /// Replicas starting together take turns: an exclusive queue belongs to one connection, and the broker refuses it to
    /// any other until that connection closes, even if the process dies.
    /// </summary>
    private static async Task<IChannel> LockAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclareAsync(LockQueue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
            return channel;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == ResourceLocked)
        {
            await channel.DisposeAsync();
            throw new MigrationBusyException();
        }
    }

    /// <summary>
    /// Copies every message of <paramref name="source"/> into the quorum queue <paramref name="target"/>, which takes over
    /// the source's binding to the exchange of the same name, then deletes the source.
    /// </summary>
    private static async Task MoveAsync(
        IConnection connection, string source, string target, bool sourceIsClassic, CancellationToken cancellationToken)
    {
        await DeclareQuorumAsync(connection, target, cancellationToken);
        var exchange = ExchangeOf(source);
        if (await ExchangeExistsAsync(connection, exchange, cancellationToken))
        {
            await using var binding = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            // The target first: a message published between the two is in both queues rather than in neither.
            await binding.QueueBindAsync(target, exchange, routingKey: "", cancellationToken: cancellationToken);
            await binding.QueueUnbindAsync(source, exchange, routingKey: "", arguments: null, cancellationToken);
        }

        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        await using var channel = await connection.CreateChannelAsync(options, cancellationToken);
        while (await channel.BasicGetAsync(source, autoAck: false, cancellationToken) is { } message)
        {
            // Returns when the broker has confirmed the copy (mandatory: it throws if the copy was not routed).
            await channel.BasicPublishAsync(
                exchange: "", routingKey: target, mandatory: true, new BasicProperties(message.BasicProperties), message.Body.ToArray(), cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
        }

        // Unbound and drained under the lock, nothing can reach the source any more; a quorum queue cannot be deleted
        // conditionally, so that is checked here, and the broker checks it again for a classic one.
        var left = await channel.QueueDeclarePassiveAsync(source, cancellationToken);
        if (left.MessageCount > 0 || left.ConsumerCount > 0)
        {
            throw new InvalidOperationException(
                $"RabbitMQ queue '{source}' received messages or consumers while they were being moved to '{target}'; it is kept. Start this service again.");
        }

        await channel.QueueDeleteAsync(source, ifUnused: sourceIsClassic, ifEmpty: sourceIsClassic, cancellationToken: cancellationToken);
    }

    /// <summary>MassTransit binds each queue it declares to a fanout exchange of the same name.</summary>
    private static string ExchangeOf(string queue) =>
        queue.EndsWith(HoldingSuffix, StringComparison.Ordinal) ? queue[..^HoldingSuffix.Length] : queue;

    /// <summary>The consumer count of the queue if it is a classic queue; null if it is a quorum queue or there is none.</summary>
    private static async Task<uint?> ClassicConsumersAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        uint consumers;
        try
        {
            // A failed declare closes its channel, hence one channel per question.
            await using var passive = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            consumers = (await passive.QueueDeclarePassiveAsync(queue, cancellationToken)).ConsumerCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == NotFound)
        {
            return null;
        }

        try
        {
            // AMQP does not tell a queue's type; redeclaring it as a quorum queue succeeds only if it is one.
            await DeclareQuorumAsync(connection, queue, cancellationToken);
            return null;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == PreconditionFailed)
        {
            return consumers;
        }
    }

    private static async Task DeclareQuorumAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(
            queue, durable: true, exclusive: false, autoDelete: false, QuorumArguments, cancellationToken: cancellationToken);
    }

    private static async Task<bool> ExistsAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == NotFound)
        {
            return false;
        }
    }

    private static async Task<bool> ExchangeExistsAsync(IConnection connection, string exchange, CancellationToken cancellationToken)
    {
        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.ExchangeDeclarePassiveAsync(exchange, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == NotFound)
        {
            return false;
        }
    }

    /// <summary>Another replica holds the lock; this one waits its turn.</summary>
    private sealed class MigrationBusyException() : Exception("Another service is checking the queue types");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checking the queue types of bus {Address}")]
    private static partial void LogChecking(ILogger logger, Uri address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The queue types cannot be checked now ({Reason}); checking again in {Delay}")]
    private static partial void LogRetrying(ILogger logger, TimeSpan delay, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ queue {Queue} was a classic queue; it is now a quorum queue with the same messages")]
    private static partial void LogMigrated(ILogger logger, string queue);
}
