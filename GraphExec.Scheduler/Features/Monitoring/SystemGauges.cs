using System.Diagnostics.Metrics;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.ServiceDefaults;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace GraphExec.Scheduler.Features.Monitoring;

/// <summary>
/// What no single worker or request can see, read every <see cref="MonitoringOptions.SampleInterval"/> and reported as
/// gauges on the GraphExec meter: each queue's ready messages and consumers (the Workers scale on the first), the
/// executions not yet final by status, and PostgreSQL's connections against its limit. The Scheduler runs at a fixed
/// count, so each gauge has one source; sampling on a timer rather than in the gauges' callbacks keeps a scrape (by the
/// OTLP exporter and Prometheus alike) free of I/O. A sample that fails leaves its gauges empty until the next one
/// succeeds, so that an alert sees the gap rather than an old value.
/// </summary>
public sealed partial class SystemGauges : BackgroundService
{
    private const ushort NotFound = 404;

    private static readonly string UnfinishedSql = $"""
        SELECT status, count(*) FROM executions
        WHERE {ExecutionSql.Unfinished("executions")}
        GROUP BY status
        """;

    private const string ConnectionsSql = "SELECT count(*), current_setting('max_connections')::bigint FROM pg_stat_activity";

    private readonly NpgsqlDataSource _database;
    private readonly Uri _brokerUri;
    private readonly MonitoringOptions _options;
    private readonly ILogger<SystemGauges> _logger;

    private volatile Snapshot _snapshot = Snapshot.Empty;
    private IConnection? _broker;

    public SystemGauges(
        NpgsqlDataSource database, IConfiguration configuration, IOptions<MonitoringOptions> options, IMeterFactory meters, ILogger<SystemGauges> logger)
    {
        _database = database;
        _brokerUri = new Uri(configuration.GetConnectionString(ConnectionNames.MessageBroker)
            ?? throw new InvalidOperationException($"The connection string '{ConnectionNames.MessageBroker}' is missing."));
        _options = options.Value;
        _logger = logger;

        var meter = meters.Create(Telemetry.GraphExec);
        meter.CreateObservableGauge("graphexec.queue.messages", () => _snapshot.Queues.Select(q => Tagged(q.Messages, "queue", q.Name)),
            "{message}", "Messages ready in a RabbitMQ queue, by queue.");
        meter.CreateObservableGauge("graphexec.queue.consumers", () => _snapshot.Queues.Select(q => Tagged(q.Consumers, "queue", q.Name)),
            "{consumer}", "Consumers of a RabbitMQ queue, by queue.");
        meter.CreateObservableGauge("graphexec.executions.unfinished", () => _snapshot.Unfinished.Select(s => Tagged(s.Count, "status", s.Status)),
            "{execution}", "Executions not yet final, by status: queued or running.");
        meter.CreateObservableGauge("graphexec.postgres.connections", () => Single(_snapshot.Connections),
            "{connection}", "PostgreSQL backends in use, every client's.");
        meter.CreateObservableGauge("graphexec.postgres.connections.max", () => Single(_snapshot.MaxConnections),
            "{connection}", "PostgreSQL's max_connections.");
    }

    /// <summary>Samples at once, then on every interval until the host stops.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SampleInterval);
        do
        {
            var queues = await SampleQueuesAsync(stoppingToken);
            var (unfinished, connections, maxConnections) = await SampleDatabaseAsync(stoppingToken);
            _snapshot = new Snapshot(queues, unfinished, connections, maxConnections);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    private async Task<IReadOnlyList<QueueSample>> SampleQueuesAsync(CancellationToken cancellationToken)
    {
        try
        {
            _broker ??= await new ConnectionFactory { Uri = _brokerUri, ClientProvidedName = nameof(SystemGauges) }.CreateConnectionAsync(cancellationToken);
            var samples = new List<QueueSample>(_options.Queues.Length);
            foreach (var queue in _options.Queues)
            {
                // A passive declare answers the count and closes the channel when the queue does not exist (yet): one channel each.
                await using var channel = await _broker.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                    samples.Add(new QueueSample(queue, declared.MessageCount, declared.ConsumerCount));
                }
                catch (OperationInterruptedException interrupted) when (interrupted.ShutdownReason?.ReplyCode == NotFound)
                {
                    // Declared by the first Worker to start; nothing to report before that.
                }
            }

            return samples;
        }
        catch (Exception exception) when (exception is BrokerUnreachableException or AlreadyClosedException or OperationInterruptedException or IOException)
        {
            LogSampleFailed(_logger, "RabbitMQ", exception.Message);
            if (_broker is { IsOpen: false })
            {
                await _broker.DisposeAsync();
                _broker = null;
            }

            return [];
        }
    }

    private async Task<(IReadOnlyList<StatusSample> Unfinished, long? Connections, long? MaxConnections)> SampleDatabaseAsync(
        CancellationToken cancellationToken)
    {
        try
        {
            await using var batch = _database.CreateBatch();
            batch.BatchCommands.Add(new NpgsqlBatchCommand(UnfinishedSql));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(ConnectionsSql));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

            var counts = new Dictionary<string, long> { ["queued"] = 0, ["running"] = 0 };
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[(ExecutionStatus)reader.GetInt16(0) == ExecutionStatus.Queued ? "queued" : "running"] = reader.GetInt64(1);
            }

            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return ([.. counts.Select(count => new StatusSample(count.Key, count.Value))], reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (NpgsqlException exception)
        {
            LogSampleFailed(_logger, "PostgreSQL", exception.Message);
            return ([], null, null);
        }
    }

    private static Measurement<long> Tagged(long value, string tag, string tagValue) => new(value, new KeyValuePair<string, object?>(tag, tagValue));

    private static IEnumerable<Measurement<long>> Single(long? value) => value is { } known ? [new Measurement<long>(known)] : [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the gauges from {Server}: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string server, string reason);

    private sealed record QueueSample(string Name, long Messages, long Consumers);

    private sealed record StatusSample(string Status, long Count);

    private sealed record Snapshot(IReadOnlyList<QueueSample> Queues, IReadOnlyList<StatusSample> Unfinished, long? Connections, long? MaxConnections)
    {
        public static readonly Snapshot Empty = new([], [], null, null);
    }
}
