using System.Globalization;
using System.Net;
using GraphExec.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace GraphExec.Scheduler.Tests;

/// <summary>
/// The gauges an operator watches and the Workers scale on, read from RabbitMQ and PostgreSQL by the Scheduler and scraped
/// by Prometheus from its metrics port (and only there).
/// </summary>
public sealed class Reporting_system_gauges
{
    private const string MetricsHost = "localhost:9464";
    /// <summary>A queue of this test's own: the other tests' executions go through the run's execute-graph queue.</summary>
    private static readonly string Queue = $"gauges-{Guid.NewGuid():N}";

    private SchedulerApp _scheduler = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _scheduler = await new SchedulerApp(new Dictionary<string, string?>
        {
            ["Metrics:Port"] = "9464",
            ["Monitoring:SampleInterval"] = "00:00:00.200",
            ["Monitoring:Queues:0"] = Queue,
        }).StartAsync();
        _client = _scheduler.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _scheduler.DisposeAsync();
    }

    [Test]
    public async Task Should_report_the_queue_s_messages_and_consumers_as_they_change()
    {
        var factory = new ConnectionFactory { Uri = new Uri(RealServersSetUp.Isolated.Connections.Broker) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { [Headers.XQueueType] = "quorum" });
        for (var i = 0; i < 3; i++)
        {
            await channel.BasicPublishAsync(string.Empty, Queue, "{}"u8.ToArray());
        }

        var waiting = await GaugeAsync("graphexec_queue_messages", Queue, value => value == 3);
        var idle = await GaugeAsync("graphexec_queue_consumers", Queue, value => value == 0);
        await channel.QueuePurgeAsync(Queue);
        var consumer = new AsyncEventingBasicConsumer(channel);
        await channel.BasicConsumeAsync(Queue, autoAck: true, consumer);
        var drained = await GaugeAsync("graphexec_queue_messages", Queue, value => value == 0);
        var consumed = await GaugeAsync("graphexec_queue_consumers", Queue, value => value == 1);

        Assert.Multiple(() =>
        {
            Assert.That(waiting, Is.EqualTo(3));
            Assert.That(idle, Is.Zero);
            Assert.That(drained, Is.Zero);
            Assert.That(consumed, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Should_report_unfinished_executions_and_database_connections()
    {
        var queued = await GaugeAsync("graphexec_executions_unfinished", "queued", value => value >= 0);
        var connections = await GaugeAsync("graphexec_postgres_connections", null, value => value > 0);
        var limit = await GaugeAsync("graphexec_postgres_connections_max", null, value => value > 0);

        Assert.That(queued, Is.GreaterThanOrEqualTo(0));
        Assert.That(connections, Is.Positive.And.LessThanOrEqualTo(limit));
    }

    [Test]
    public async Task Should_answer_metrics_on_the_metrics_port_only()
    {
        using var onMetricsPort = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = MetricsHost } });
        using var onServicePort = await _client.GetAsync("/metrics");

        Assert.That(onMetricsPort.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(onMetricsPort.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(onServicePort.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    /// <summary>A gauge's value in the Prometheus exposition, once it is there and <paramref name="until"/> holds.</summary>
    /// <param name="label">The value of one of its labels, to tell its series apart; null for a gauge of one series.</param>
    private Task<double> GaugeAsync(string name, string? label, Func<double, bool> until) =>
        Poll.UntilAsync(
            async () =>
            {
                using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = MetricsHost } });
                var line = (await response.Content.ReadAsStringAsync()).Split('\n').FirstOrDefault(line =>
                    (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
                    && (label is null || line.Contains($"=\"{label}\"", StringComparison.Ordinal)));
                var sample = line is null ? null : line.Contains('}') ? line[(line.LastIndexOf('}') + 1)..] : line[name.Length..];
                return sample is null ? double.NaN : double.Parse(sample.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            },
            value => !double.IsNaN(value) && until(value),
            $"{name} {label}");
}
