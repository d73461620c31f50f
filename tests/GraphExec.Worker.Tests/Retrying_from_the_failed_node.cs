using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Worker.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GraphExec.Worker.Tests;

/// <summary>
/// A run that fails at a node whose credential was deleted is retried once the credential is back: the retry runs the
/// failed node and what had not run, reusing the upstream node's result (its http call is made once in all), and its
/// live events tell the reused node as completed before the rest.
/// </summary>
public sealed class Retrying_from_the_failed_node
{
    private WebApplication _upstream = null!;
    private int _calls;

    [OneTimeSetUp]
    public async Task StartUpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _upstream = builder.Build();
        _upstream.MapGet("/order", () => Results.Json(new JsonObject { ["order"] = 42, ["call"] = Interlocked.Increment(ref _calls) }));
        await _upstream.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopUpstreamAsync() => await _upstream.DisposeAsync();

    [Test]
    public async Task Should_run_the_failed_node_again_and_reuse_the_upstream_node_without_calling_it_again()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(FetchThenSign());
        var callsBefore = Volatile.Read(ref _calls);
        var failed = await user.WaitForEndAsync(await user.StartAsync(graph, live: true));
        Assume.That(failed.Status, Is.EqualTo(ExecutionStatus.Failed), "the credential does not exist yet");
        await user.AddCredentialAsync("signing", "sk-" + Guid.NewGuid().ToString("N"));

        var retry = await user.WaitForEndAsync(await user.RetryAsync(failed.Id));
        var nodes = (await user.NodesAsync(retry.Id)).ToDictionary(n => n.NodeId);

        Assert.Multiple(() =>
        {
            Assert.That(retry.Status, Is.EqualTo(ExecutionStatus.Succeeded), retry.Error);
            Assert.That(retry.RetryOf, Is.EqualTo(failed.Id));
            Assert.That(Volatile.Read(ref _calls) - callsBefore, Is.EqualTo(1), "the upstream node ran once, in the failed run");
            Assert.That(nodes["fetch"].ReusedFrom, Is.EqualTo(failed.Id));
            Assert.That(nodes["fetch"].Status, Is.EqualTo(NodeStatus.Succeeded));
            Assert.That(nodes["sign"].ReusedFrom, Is.Null, "the failed node ran in the retry");
            Assert.That(nodes["sign"].Status, Is.EqualTo(NodeStatus.Succeeded));
            Assert.That(JsonNode.Parse(retry.Outputs!)!["signed"]!.GetValue<string>(), Is.EqualTo("order 42 signed with ***"));
        });
    }

    [Test]
    public async Task Should_tell_a_live_watcher_the_reused_nodes_completed_in_gap_free_events()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(FetchThenSign());
        var failed = await user.WaitForEndAsync(await user.StartAsync(graph, live: true));
        await user.AddCredentialAsync("signing", "sk-" + Guid.NewGuid().ToString("N"));

        var retry = await user.WaitForEndAsync(await user.RetryAsync(failed.Id));
        var events = (await user.LiveEventsAsync(retry.Id)).Select(e => JsonSerializer.Deserialize<JsonElement>(e)).ToList();
        var fetch = events.Single(e => e.TryGetProperty("nodeId", out var node) && node.GetString() == "fetch");

        Assert.That(events.Select(e => e.GetProperty("sequence").GetInt64()), Is.EqualTo(Enumerable.Range(1, events.Count).Select(i => (long)i)));
        Assert.That(events[0].GetProperty("type").GetString(), Is.EqualTo("ExecutionStarted"));
        Assert.That(fetch.GetProperty("type").GetString(), Is.EqualTo("NodeCompleted"));
        Assert.That(fetch.GetProperty("outputs").GetProperty("body").GetProperty("order").GetInt32(), Is.EqualTo(42));
        Assert.That(events[^1].GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
    }

    /// <summary>An http call upstream, then a template that needs the credential <c>signing</c>.</summary>
    private string FetchThenSign() => $$"""
        {
          "name": "Fetch then sign",
          "nodes": [
            { "id": "fetch", "block": "http", "config": { "url": "{{_upstream.Urls.Single()}}/order" } },
            { "id": "sign", "block": "template", "config": { "template": "order {{"{{order.order}}"}} signed with {{"{{secrets.signing}}"}}" } },
            { "id": "signed", "block": "output", "config": { "name": "signed" } }
          ],
          "edges": [
            { "from": "fetch.body", "to": "sign.order" },
            { "from": "sign.text", "to": "signed.value" }
          ]
        }
        """;
}
