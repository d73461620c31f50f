using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using GraphExec.Core.Values;
using GraphExec.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.Live.Tests;

/// <summary>
/// A live run whose template makes a 5 MiB text out of a 1 MiB input: both go to blob storage, the rows hold references
/// of a few hundred bytes, the Api streams the values to their owner only, and the live events carry references.
/// </summary>
public sealed class Keeping_large_values_in_blob_storage
{
    private const int InputLength = 1024 * 1024;

    private const string FiveTimes = """
        {
          "name": "Five times",
          "nodes": [
            { "id": "text", "block": "input",    "config": { "name": "text" } },
            { "id": "five", "block": "template", "config": { "template": "{{text}}{{text}}{{text}}{{text}}{{text}}" } },
            { "id": "out",  "block": "output",   "config": { "name": "five" } }
          ],
          "edges": [
            { "from": "text.value", "to": "five.text" },
            { "from": "five.text",  "to": "out.value" }
          ]
        }
        """;

    private ApiUser _user = null!;
    private HttpClient _client = null!;
    private Guid _executionId;
    private JsonElement _execution;
    private List<JsonElement> _events = null!;

    [OneTimeSetUp]
    public async Task RunAsync()
    {
        _user = await ApiUser.SignUpAsync();
        _client = Client(_user.Token);
        var graph = await _user.SaveGraphAsync(FiveTimes);
        await using var watcher = await Watcher.ConnectAsync(TestRun.LiveA, _user.Token);
        await TestRun.StartWorkerAsync();
        _executionId = await _user.RunAsync(graph, live: true, inputs: new { text = new string('x', InputLength) });
        await watcher.SubscribeAsync(_executionId);
        _events = await watcher.UntilCompletedAsync();
        _execution = await _client.WaitForExecutionEndAsync(_executionId);
    }

    [OneTimeTearDown]
    public void SignOut()
    {
        _client.Dispose();
        _user.Dispose();
    }

    [Test]
    public async Task Should_succeed_and_stream_the_five_mebibyte_output_from_its_reference()
    {
        Assert.That(_execution.GetProperty("status").GetString(), Is.EqualTo("Succeeded"), _execution.ToString());
        var reference = _execution.GetProperty("outputs").GetProperty("five");
        Assert.That(reference.GetProperty("bytes").GetInt64(), Is.EqualTo((5 * InputLength) + 2));
        Assert.That(reference.GetProperty("preview").GetString(), Does.StartWith("\"xxxx"));

        using var response = await _client.GetAsync(reference.GetProperty("href").GetString(), HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var value = await response.Content.ReadFromJsonAsync<string>();
        Assert.That(value, Has.Length.EqualTo(5 * InputLength).And.Matches("^x+$"));
    }

    [Test]
    public async Task Should_keep_references_of_a_few_hundred_bytes_in_postgresql_and_mark_the_execution()
    {
        await using var connection = new NpgsqlConnection(RealServersSetUp.Isolated.Connections.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT e.has_blobs, octet_length(e.inputs::text), octet_length(e.outputs::text),
                   (SELECT max(octet_length(coalesce(n.inputs::text, '')) + octet_length(coalesce(n.outputs::text, '')))
                    FROM node_executions n WHERE n.owner_id = e.owner_id AND n.execution_id = e.id)
            FROM executions e WHERE e.owner_id = $1 AND e.id = $2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _user.OwnerId });
        command.Parameters.Add(new NpgsqlParameter { Value = _executionId });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True);

        Assert.That(reader.GetBoolean(0), Is.True);
        Assert.That(reader.GetInt32(1), Is.InRange(100, 2 * 1024));
        Assert.That(reader.GetInt32(2), Is.InRange(100, 2 * 1024));
        Assert.That(reader.GetInt32(3), Is.InRange(100, 4 * 1024));
    }

    [Test]
    public async Task Should_write_each_value_once_to_the_container()
    {
        var names = new List<string>();
        await foreach (var blob in Container().GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions
        {
            Prefix = BlobNames.Prefix(new ExecutionKey(_user.OwnerId, _executionId)),
        }))
        {
            names.Add(blob.Name);
        }

        // The input (node input and output alike) and the five-fold text (node output, next input, execution output).
        Assert.That(names, Has.Count.EqualTo(2));
        Assert.That(names.Select(name => BlobNames.Parse(name)?.Execution), Is.All.EqualTo(new ExecutionKey(_user.OwnerId, _executionId)));
    }

    [Test]
    public async Task Should_answer_another_user_404_for_the_reference()
    {
        using var stranger = await ApiUser.SignUpAsync();
        using var client = Client(stranger.Token);
        var href = _execution.GetProperty("outputs").GetProperty("five").GetProperty("href").GetString();

        using var response = await client.GetAsync(href);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public void Should_stream_the_preview_and_reference_in_live_events_not_the_value()
    {
        var completed = _events.Single(e => e.GetProperty("type").GetString() == "NodeCompleted" && e.GetProperty("nodeId").GetString() == "five");
        var text = completed.GetProperty("outputs").GetProperty("text");

        Assert.That(text.GetProperty("$ref").GetString(), Has.Length.EqualTo(64));
        Assert.That(text.GetProperty("bytes").GetInt64(), Is.EqualTo((5 * InputLength) + 2));
        Assert.That(text.GetProperty("preview").GetString(), Has.Length.LessThanOrEqualTo(BlobOptions.PreviewBytes).And.StartWith("\"xxx"));
        Assert.That(_events.Select(e => e.GetRawText().Length), Is.All.LessThan(8 * 1024));
    }

    [Test]
    public async Task Should_delete_every_blob_of_an_execution()
    {
        var blobs = Store();
        var execution = new ExecutionKey(Guid.NewGuid(), Guid.CreateVersion7());
        var large = new System.Text.Json.Nodes.JsonObject { ["a"] = new string('a', 100_000), ["b"] = new string('b', 100_000) };
        var stored = await blobs.For(execution).StoreAsync(large, CancellationToken.None);
        Assert.That(stored.HasBlobs, Is.True);

        await blobs.DeleteAsync([execution], CancellationToken.None);

        Assert.That(Container().GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = BlobNames.Prefix(execution) }).ToBlockingEnumerable(), Is.Empty);
    }

    private static HttpClient Client(string token) => new()
    {
        BaseAddress = TestRun.Api.BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    private static BlobContainerClient Container() => RealServersSetUp.Isolated.BlobContainer();

    /// <summary>The run's container exists from the start (<see cref="IsolatedServers"/> creates it).</summary>
    private static ExecutionBlobStore Store() =>
        new(Container(), Options.Create(new BlobOptions { Container = RealServersSetUp.Isolated.BlobContainerName }), Task.CompletedTask);
}
