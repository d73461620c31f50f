using System.Text.Json;
using GraphExec.Contracts;
using GraphExec.Web.Api;

namespace GraphExec.Web.Unit.Tests;

/// <summary>The UI's own records read the JSON the Api and the Live hub write (camelCase, enums as strings).</summary>
public sealed class Reading_the_wire
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Test]
    public void Should_read_a_live_event_as_the_hub_sends_it()
    {
        const string json = """
            {"executionId":"0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b10","sequence":3,"type":"NodeFailed","nodeId":"greet",
             "status":"Failed","error":{"code":"block_failed","message":"No such variable.","nodeId":"greet"},
             "timestamp":"2025-03-01T12:00:02.5+00:00"}
            """;

        var executionEvent = JsonSerializer.Deserialize<ExecutionEvent>(json, Web)!;

        Assert.Multiple(() =>
        {
            Assert.That(executionEvent.Sequence, Is.EqualTo(3));
            Assert.That(executionEvent.Type, Is.EqualTo(ExecutionEventType.NodeFailed));
            Assert.That(executionEvent.NodeId, Is.EqualTo("greet"));
            Assert.That(executionEvent.Status, Is.EqualTo("Failed"));
            Assert.That(executionEvent.Outputs, Is.Null);
            Assert.That(executionEvent.Error?.GetProperty("message").GetString(), Is.EqualTo("No such variable."));
            Assert.That(executionEvent.Timestamp, Is.EqualTo(new DateTimeOffset(2025, 3, 1, 12, 0, 2, 500, TimeSpan.Zero)));
        });
    }

    [Test]
    public void Should_read_an_execution_as_the_api_sends_it()
    {
        const string json = """
            {"id":"0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b10","graphId":"0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b11","graphVersion":2,
             "trigger":"webhook","status":"TimedOut","live":false,"inputs":{"who":"Ada"},"outputs":null,
             "error":{"code":"timed_out","message":"Too slow."},"attempt":1,"queuedAt":"2025-03-01T12:00:00Z",
             "startedAt":"2025-03-01T12:00:01Z","finishedAt":"2025-03-01T12:05:01Z",
             "nodes":[{"nodeId":"wait","status":"Cancelled","inputs":null,"outputs":null,"error":null,"attempts":1,
                       "startedAt":"2025-03-01T12:00:01Z","finishedAt":null}]}
            """;

        var execution = JsonSerializer.Deserialize<ExecutionDetails>(json, Web)!;

        Assert.Multiple(() =>
        {
            Assert.That(execution.Trigger, Is.EqualTo(TriggerKind.Webhook));
            Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.TimedOut));
            Assert.That(execution.Outputs, Is.Null);
            Assert.That(execution.Nodes.Single().Status, Is.EqualTo(NodeStatus.Cancelled));
            Assert.That(execution.Nodes.Single().FinishedAt, Is.Null);
        });
    }

    [Test]
    public void Should_read_a_block_and_a_webhook_as_the_api_sends_them()
    {
        const string block = """
            {"name":"template","description":"Fills in a text.","inputs":[],"configInputs":"one per {{variable}}",
             "outputs":[{"name":"text","type":"string","description":"The text.","required":false}],"configOutputs":null,
             "join":"all","configSchema":{"type":"object"},"examples":[{"description":"A greeting","config":{"template":"Hi"}}]}
            """;
        const string webhook = """
            {"id":"0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b10","graphId":"0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b11","url":"http://hooks/x",
             "secret":null,"enabled":true,"scheme":"github","createdAt":"2025-03-01T12:00:00Z","previousSecretExpiresAt":null}
            """;

        var descriptor = JsonSerializer.Deserialize<BlockDescriptor>(block, Web)!;
        var hook = JsonSerializer.Deserialize<Webhook>(webhook, Web)!;

        Assert.Multiple(() =>
        {
            Assert.That(descriptor.Outputs.Single().Type, Is.EqualTo("string"));
            Assert.That(descriptor.ConfigInputs, Is.EqualTo("one per {{variable}}"));
            Assert.That(descriptor.Examples.Single().Config.GetProperty("template").GetString(), Is.EqualTo("Hi"));
            Assert.That(hook.Scheme, Is.EqualTo(WebhookScheme.GitHub));
        });
    }
}
