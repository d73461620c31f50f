using System.Text.Json;
using GraphExec.Contracts;
using GraphExec.Web.Api;
using GraphExec.Web.Executions;

namespace GraphExec.Web.Unit.Tests.Support;

/// <summary>
/// A run of the greeting graph (<c>who → greet → out</c>, and <c>shout</c> on a branch of its own) as the Api and the hub
/// describe it, with times counted in seconds from <see cref="Start"/>.
/// </summary>
internal static class Runs
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly Guid ExecutionId = Guid.CreateVersion7();

    private const string Graph = """
        {
          "name": "Greeting",
          "nodes": [
            { "id": "who",   "block": "input",    "config": { "name": "who" } },
            { "id": "greet", "block": "template", "config": { "template": "Hello, {{who}}!" } },
            { "id": "out",   "block": "output",   "config": { "name": "greeting" } },
            { "id": "shout", "block": "template", "config": { "template": "HELLO" } }
          ],
          "edges": [
            { "from": "who.value",  "to": "greet.who" },
            { "from": "greet.text", "to": "out.value" }
          ]
        }
        """;

    /// <summary>A view that has read the graph and the record of a run in <paramref name="status"/>.</summary>
    public static ExecutionView Watching(ExecutionStatus status = ExecutionStatus.Running, params NodeExecution[] nodes)
    {
        var view = new ExecutionView();
        view.Merge(Record(status, nodes));
        view.ShowGraph(new GraphVersion(1, Json(Graph), Start), []);
        return view;
    }

    public static ExecutionDetails Record(ExecutionStatus status, params NodeExecution[] nodes) => new(
        ExecutionId, Guid.CreateVersion7(), 1, TriggerKind.Manual, status, Live: true, Json("""{ "who": "Ada" }"""),
        Outputs: status == ExecutionStatus.Succeeded ? Json("""{ "greeting": "Hello, Ada!" }""") : null,
        Error: null, Attempt: 1, QueuedAt: Start, StartedAt: status == ExecutionStatus.Queued ? null : Start,
        FinishedAt: ExecutionView.IsTerminalStatus(status) ? At(10) : null, nodes, NodesNextCursor: null);

    public static NodeExecution Row(string nodeId, NodeStatus status, double startedAt, double? finishedAt = null, string? outputs = null) => new(
        nodeId, status, Json("""{ "value": "Ada" }"""), outputs is null ? null : Json(outputs), Error: null, Attempts: 1,
        At(startedAt), finishedAt is { } finished ? At(finished) : null);

    public static ExecutionEvent Started(long sequence, double at = 0) =>
        Event(sequence, ExecutionEventType.ExecutionStarted, null, "Running", at);

    public static ExecutionEvent NodeStarted(long sequence, string nodeId, double at) =>
        Event(sequence, ExecutionEventType.NodeStarted, nodeId, "Running", at);

    public static ExecutionEvent NodeSucceeded(long sequence, string nodeId, double at, string outputs) =>
        Event(sequence, ExecutionEventType.NodeCompleted, nodeId, "Succeeded", at, outputs: outputs);

    public static ExecutionEvent NodeFailed(long sequence, string nodeId, double at, string message) =>
        Event(sequence, ExecutionEventType.NodeFailed, nodeId, "Failed", at, error: $$"""{ "code": "block_failed", "message": "{{message}}" }""");

    public static ExecutionEvent NodeSkipped(long sequence, string nodeId, double at) =>
        Event(sequence, ExecutionEventType.NodeSkipped, nodeId, "Skipped", at);

    public static ExecutionEvent Completed(long sequence, ExecutionStatus status, double at, string? outputs = null) =>
        Event(sequence, ExecutionEventType.ExecutionCompleted, null, status.ToString(), at, outputs: outputs);

    public static DateTimeOffset At(double seconds) => Start.AddSeconds(seconds);

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static ExecutionEvent Event(
        long sequence, ExecutionEventType type, string? nodeId, string status, double at, string? outputs = null, string? error = null) =>
        new(ExecutionId, sequence, type, nodeId, status, outputs is null ? null : Json(outputs), error is null ? null : Json(error), At(at));
}
