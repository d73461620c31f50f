using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Worker.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GraphExec.Worker.Tests;

/// <summary>
/// A run whose http block sends <c>{{secrets.api}}</c> sends the real value to the target, and nothing the run leaves
/// behind (the execution, its node rows, its live events, the Worker's logs) holds it: only <c>***</c>.
/// </summary>
public sealed class Using_credentials
{
    private WebApplication _target = null!;
    private readonly ConcurrentQueue<string> _received = new();

    [OneTimeSetUp]
    public async Task StartTargetAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _target = builder.Build();
        // Records the header, and echoes it, as a careless API would.
        _target.MapGet("/whoami", (HttpRequest request) =>
        {
            var authorization = request.Headers.Authorization.ToString();
            _received.Enqueue(authorization);
            return Results.Json(new JsonObject { ["youSent"] = authorization });
        });
        await _target.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopTargetAsync() => await _target.DisposeAsync();

    [Test]
    public async Task Should_send_the_value_to_the_target_while_storage_live_events_and_logs_hold_only_the_mask()
    {
        var user = await Scenario.NewUserAsync();
        var value = "sk-live-" + Guid.NewGuid().ToString("N");
        await user.AddCredentialAsync("api", value);
        var graph = await user.SaveGraphAsync(CallingGraph());

        var id = await user.StartAsync(graph, live: true);
        var execution = await user.WaitForEndAsync(id);
        var nodes = await user.NodesAsync(id);
        var events = await user.LiveEventsAsync(id);

        Assert.Multiple(async () =>
        {
            Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Succeeded), execution.Error);
            Assert.That(_received, Does.Contain("Bearer " + value), "the target got the real value");
            var stored = string.Join('\n', nodes.SelectMany(node => new[] { node.Inputs, node.Outputs, node.Error }).Append(execution.Outputs));
            Assert.That(stored, Does.Not.Contain(value));
            Assert.That(JsonNode.Parse(execution.Outputs!)!["echo"]!["youSent"]!.GetValue<string>(), Is.EqualTo("Bearer ***"));
            Assert.That(JsonNode.Parse(nodes.Single(n => n.NodeId == "leak").Outputs!)!["text"]!.GetValue<string>(), Is.EqualTo("the key is ***"));
            Assert.That(events, Is.Not.Empty);
            Assert.That(string.Join('\n', events), Does.Contain("***").And.Not.Contain(value));
            Assert.That(RecordedLogs.Instance.Text, Does.Not.Contain(value));
            Assert.That(await LastUsedAsync(user, "api"), Is.Not.Null, "the run noted that it used the credential");
        });
    }

    [Test]
    public async Task Should_fail_the_next_run_naming_a_secret_deleted_since_the_graph_was_saved()
    {
        var user = await Scenario.NewUserAsync();
        await user.AddCredentialAsync("api", "sk-live-" + Guid.NewGuid().ToString("N"));
        var graph = await user.SaveGraphAsync(CallingGraph());
        await WorkerHost.WithDatabaseAsync(db => db.Credentials.Where(c => c.OwnerId == user.OwnerId).ExecuteDeleteAsync());

        var execution = await user.WaitForEndAsync(await user.StartAsync(graph));

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
        var error = JsonNode.Parse(execution.Error!)!;
        Assert.That(error["code"]!.GetValue<string>(), Is.EqualTo(ExecutionError.SecretMissing));
        // Both nodes name it; whichever starts first fails the run.
        Assert.That(error["nodeId"]!.GetValue<string>(), Is.AnyOf("call", "leak"));
        Assert.That(error["message"]!.GetValue<string>(), Does.Contain("'api'"));
    }

    [Test]
    public async Task Should_not_read_another_owners_credential_of_the_same_name()
    {
        var owner = await Scenario.NewUserAsync();
        var other = await Scenario.NewUserAsync();
        await owner.AddCredentialAsync("api", "sk-live-" + Guid.NewGuid().ToString("N"));
        var graph = await other.SaveGraphAsync(CallingGraph());

        var execution = await other.WaitForEndAsync(await other.StartAsync(graph));

        Assert.That(JsonNode.Parse(execution.Error!)!["code"]!.GetValue<string>(), Is.EqualTo(ExecutionError.SecretMissing));
        Assert.That(_received, Has.None.EqualTo("Bearer "));
    }

    private string CallingGraph() => $$"""
        {
          "name": "Calls with a key",
          "nodes": [
            { "id": "call", "block": "http", "config": { "url": "{{_target.Urls.Single()}}/whoami", "headers": { "Authorization": "Bearer {{"{{secrets.api}}"}}" } } },
            { "id": "leak", "block": "template", "config": { "template": "the key is {{"{{secrets.api}}"}}" } },
            { "id": "echo", "block": "output", "config": { "name": "echo" } },
            { "id": "said", "block": "output", "config": { "name": "said" } }
          ],
          "edges": [
            { "from": "call.body", "to": "echo.value" },
            { "from": "leak.text", "to": "said.value" }
          ]
        }
        """;

    private static Task<DateTimeOffset?> LastUsedAsync(Scenario user, string name) => WorkerHost.WithDatabaseAsync(db =>
        db.Credentials.Where(c => c.OwnerId == user.OwnerId && c.Name == name).Select(c => c.LastUsedAt).SingleAsync());
}
