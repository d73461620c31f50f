using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GraphExec.Worker.Tests.Support;
using RabbitMQ.Client;

namespace GraphExec.Worker.Tests;

/// <summary>
/// The queues that hold work are quorum queues, which a clustered broker keeps when a node goes; the per-process cancel
/// queue, which dies with its process, stays classic. A broker where an earlier version declared them as classic
/// queues gets quorum queues with the same messages when the Worker starts.
/// </summary>
public sealed class Declaring_quorum_queues
{
    [Test]
    public async Task Should_declare_the_work_queues_as_quorum_queues_and_the_cancel_queue_as_a_classic_exclusive_one()
    {
        using var management = RabbitManagement.CreateClient(RealServersSetUp.Isolated.Connections.BrokerManagement);

        var queues = await QueuesAsync(management, RealServersSetUp.Isolated.Name);

        Assert.That(queues["execute-graph"]!["type"]!.GetValue<string>(), Is.EqualTo("quorum"));
        Assert.That(queues["execute-graph-fault"]!["type"]!.GetValue<string>(), Is.EqualTo("quorum"));
        var cancel = queues.Where(q => q.Key.StartsWith("cancel-execution", StringComparison.Ordinal)).Select(q => q.Value!).ToList();
        Assert.That(cancel, Has.Count.EqualTo(1), "one cancel queue, the hosted Worker's");
        Assert.That(cancel[0]["type"]!.GetValue<string>(), Is.EqualTo("classic"));
        // MassTransit gives a temporary queue an expiry instead of auto-delete, and makes it exclusive to its connection.
        Assert.That(cancel[0]["exclusive"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Should_turn_classic_queues_of_an_earlier_version_into_quorum_queues_with_their_messages()
    {
        await using var servers = await RealServersSetUp.Servers.IsolateAsync("quorum_migration");
        string[] faulted = ["first", "second", "third"];
        await DeclareAsAnEarlierVersionDidAsync(servers, faulted);

        await using (await WorkerHost.StartAsync(WorkerHost.Settings(servers)))
        {
            using var management = RabbitManagement.CreateClient(servers.Connections.BrokerManagement);
            var queues = await QueuesAsync(management, servers.Name);
            Assert.That(queues["execute-graph"]!["type"]!.GetValue<string>(), Is.EqualTo("quorum"));
            Assert.That(queues["execute-graph_error"]!["type"]!.GetValue<string>(), Is.EqualTo("quorum"));
            Assert.That(queues.Keys, Has.None.EndsWith(".to-quorum"), "the holding queues are gone");
            Assert.That(await MessagesAsync(management, servers.Name, "execute-graph_error"), Is.EquivalentTo(faulted));

            // The new queue took over the old one's binding: what is published to its exchange still arrives.
            await PublishAsync(servers, "execute-graph_error", "fourth");
            Assert.That(await MessagesAsync(management, servers.Name, "execute-graph_error"), Is.EquivalentTo(faulted.Append("fourth")));
        }
    }

    /// <summary>The topology MassTransit declared before the queues were quorum: a fanout exchange bound to a classic queue of the same name.</summary>
    private static async Task DeclareAsAnEarlierVersionDidAsync(IsolatedServers servers, IEnumerable<string> faulted)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(servers.Connections.Broker) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var name in new[] { "execute-graph", "execute-graph_error" })
        {
            await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true);
            await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(name, name, routingKey: "");
        }

        foreach (var body in faulted)
        {
            await PublishAsync(servers, "execute-graph_error", body);
        }
    }

    private static async Task PublishAsync(IsolatedServers servers, string exchange, string body)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(servers.Connections.Broker) }.CreateConnectionAsync();
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        await using var channel = await connection.CreateChannelAsync(options);
        await channel.BasicPublishAsync(exchange, routingKey: "", mandatory: true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes(body));
    }

    private static async Task<Dictionary<string, JsonNode?>> QueuesAsync(HttpClient management, string vhost)
    {
        var queues = await management.GetFromJsonAsync<JsonArray>($"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,type,exclusive");
        return queues!.ToDictionary(q => q!["name"]!.GetValue<string>(), q => q);
    }

    /// <summary>The bodies in the queue, read and put back.</summary>
    private static async Task<List<string>> MessagesAsync(HttpClient management, string vhost, string queue)
    {
        using var response = await management.PostAsJsonAsync(
            $"api/queues/{Uri.EscapeDataString(vhost)}/{queue}/get", new { count = 100, ackmode = "ack_requeue_true", encoding = "auto" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var messages = await response.Content.ReadFromJsonAsync<JsonArray>();
        return [.. messages!.Select(m => m!["payload"]!.GetValue<string>())];
    }
}
