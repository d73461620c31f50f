using System.Text.Json;
using GraphExec.Contracts;
using GraphExec.Web.Api;
using GraphExec.Web.Components.Shared;
using GraphExec.Web.Graphs;

namespace GraphExec.Web.Executions;

/// <summary>
/// One execution as its page shows it, built from the Api's record and the Live hub's events. Events apply in sequence
/// (one seen before is dropped; one after a gap asks for the record), statuses only move forward, and what the picture
/// and the timeline show is projected from the nodes' state. The page does the calls and the rendering; this decides.
/// </summary>
public sealed class ExecutionView
{
    // Without the hub the record is all there is; with it, polling only covers for an event the page never got.
    private static readonly TimeSpan PollWithoutHub = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollWithHub = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, NodeView> _nodes = [];

    /// <summary>The Api's record, moved forward by live events; null until the record is read.</summary>
    public ExecutionDetails? Execution { get; private set; }

    public string GraphName { get; private set; } = "Graph";

    /// <summary>The pinned version's graph as drawn; null until it is read.</summary>
    public GraphSketch? Sketch { get; private set; }

    /// <summary>The sequence of the last live event applied; 0 before any.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Whether live events arrive; without them the page polls the Api more often.</summary>
    public bool IsLive { get; set; }

    public bool IsTerminal => Execution is { } execution && IsTerminalStatus(execution.Status);

    /// <summary>Whether the page keeps watching: the record is read and the run has not ended.</summary>
    public bool IsFollowing => Execution is not null && !IsTerminal;

    public TimeSpan PollInterval => IsLive ? PollWithHub : PollWithoutHub;

    /// <summary>The node whose inputs and outputs are open, if any.</summary>
    public string? Selected { get; private set; }

    /// <summary>Each drawn node's status: its own once known, otherwise what the run's state implies for it.</summary>
    public IReadOnlyDictionary<string, NodeStatus> States =>
        Sketch is null || Execution is null
            ? new Dictionary<string, NodeStatus>()
            : Sketch.Nodes.ToDictionary(n => n.Id, n => _nodes.TryGetValue(n.Id, out var node) ? node.Status : UnreachedStatus);

    /// <summary>The short line under each node that has started: how long it took and its output, or its error.</summary>
    public IReadOnlyDictionary<string, string> Notes =>
        Sketch is null || Execution is null
            ? new Dictionary<string, string>()
            : _nodes.Values.Where(n => n.Status != NodeStatus.Pending).ToDictionary(n => n.Id, Note);

    /// <summary>
    /// What a node that has not run shows: queued while the run goes on; after it, skipped if the run succeeded without
    /// it (a branch not taken), otherwise cancelled.
    /// </summary>
    private NodeStatus UnreachedStatus =>
        !IsTerminal ? NodeStatus.Pending : Execution!.Status == ExecutionStatus.Succeeded ? NodeStatus.Skipped : NodeStatus.Cancelled;

    public static bool IsTerminalStatus(ExecutionStatus status) => status is not (ExecutionStatus.Queued or ExecutionStatus.Running);

    /// <summary>Whether the run can be retried from its failed node: it ended without succeeding.</summary>
    public bool CanRetry => Execution?.Status is ExecutionStatus.Failed or ExecutionStatus.TimedOut or ExecutionStatus.Cancelled;

    /// <summary>Draws the version the execution pinned, with the blocks' declared ports.</summary>
    public void ShowGraph(GraphVersion version, IReadOnlyList<BlockDescriptor> blocks)
    {
        Sketch = GraphSketch.From(version.Definition, blocks);
        GraphName = version.Definition.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString() ?? "Graph"
            : "Graph";
    }

    /// <summary>Takes in the Api's record, which may be behind the live events already applied: nothing steps back.</summary>
    public void Merge(ExecutionDetails record)
    {
        if (Execution is null || Rank(record.Status) >= Rank(Execution.Status))
        {
            Execution = record;
        }

        foreach (var row in record.Nodes)
        {
            Node(row.NodeId).Merge(row);
        }
    }

    public LiveEventOutcome Apply(ExecutionEvent executionEvent)
    {
        if (executionEvent.Sequence <= LastSequence)
        {
            return LiveEventOutcome.Duplicate;
        }

        var gap = executionEvent.Sequence > LastSequence + 1;
        LastSequence = executionEvent.Sequence;
        if (executionEvent.NodeId is { } nodeId && Enum.TryParse<NodeStatus>(executionEvent.Status, ignoreCase: true, out var status))
        {
            Node(nodeId).Apply(executionEvent, status);
        }
        else if (executionEvent.Type == ExecutionEventType.ExecutionStarted && Execution is { Status: ExecutionStatus.Queued } queued)
        {
            Execution = queued with { Status = ExecutionStatus.Running, StartedAt = executionEvent.Timestamp };
        }
        else if (executionEvent.Type == ExecutionEventType.ExecutionCompleted && Execution is { } running && !IsTerminalStatus(running.Status)
            && Enum.TryParse<ExecutionStatus>(executionEvent.Status, ignoreCase: true, out var outcome) && IsTerminalStatus(outcome))
        {
            // The run is over as of this event, whether or not the record is read again.
            Execution = running with
            {
                Status = outcome,
                FinishedAt = executionEvent.Timestamp,
                Outputs = executionEvent.Outputs ?? running.Outputs,
                Error = executionEvent.Error ?? running.Error,
            };
        }

        return gap ? LiveEventOutcome.Gap
            : executionEvent.Type == ExecutionEventType.ExecutionCompleted ? LiveEventOutcome.Completed
            : LiveEventOutcome.Applied;
    }

    /// <summary>Every node, those that ran first in the order they started, then the rest in the graph's order.</summary>
    public IReadOnlyList<NodeView> Timeline()
    {
        var order = Sketch?.Nodes.Select((n, i) => (n.Id, i)).ToDictionary(p => p.Id, p => p.i) ?? [];
        var unreached = Sketch?.Nodes.Where(n => !_nodes.ContainsKey(n.Id)).Select(n => NodeView.Unreached(n.Id, UnreachedStatus)) ?? [];
        return _nodes.Values.Concat(unreached)
            .OrderBy(n => n.StartedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(n => order.GetValueOrDefault(n.Id, int.MaxValue))
            .ToList();
    }

    /// <summary>
    /// The node's bar within the span of the nodes' own work (so that time in the queue does not squeeze the bars), up to
    /// <paramref name="now"/> while some still run; null for a node that never started, or that a retry reused (it ran in
    /// another execution, maybe long before).
    /// </summary>
    public TimelineBar? Bar(NodeView node, DateTimeOffset now)
    {
        if (node.StartedAt is not { } start || node.ReusedFrom is not null)
        {
            return null;
        }

        var started = _nodes.Values.Where(n => n.StartedAt is not null && n.ReusedFrom is null).ToList();
        var origin = started.Min(n => n.StartedAt!.Value);
        var end = started.All(n => n.FinishedAt is not null) ? started.Max(n => n.FinishedAt!.Value) : now;
        var total = Math.Max(1, (end - origin).TotalMilliseconds);
        // At least a sliver, so that instant nodes still show where they ran.
        var left = Math.Clamp((start - origin).TotalMilliseconds / total * 100, 0, 99);
        var width = Math.Max(1, Math.Min(((node.FinishedAt ?? end) - start).TotalMilliseconds / total * 100, 100 - left));
        return new TimelineBar(left, width);
    }

    /// <summary>Opens a node's details, or closes them when they are open.</summary>
    public void Select(string nodeId) => Selected = Selected == nodeId ? null : nodeId;

    /// <summary>An error as a person reads it: its message when it has one.</summary>
    public static string ErrorText(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
            ? message.GetString()!
            : error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText();

    private NodeView Node(string nodeId) =>
        _nodes.TryGetValue(nodeId, out var node) ? node : _nodes[nodeId] = new NodeView(nodeId);

    private static string Note(NodeView node) => (node.ReusedFrom is null ? "" : "reused · ") + node.Status switch
    {
        NodeStatus.Running => "running…",
        NodeStatus.Succeeded => node.Took + (node.Outputs is { } outputs ? " · " + Preview(outputs) : ""),
        NodeStatus.Failed => "failed" + (node.Error is { } error ? ": " + ErrorText(error) : ""),
        _ => node.Status.ToString().ToLowerInvariant(),
    };

    /// <summary>The first output's value, which for most blocks is the one that matters.</summary>
    private static string Preview(JsonElement outputs)
    {
        if (outputs.ValueKind == JsonValueKind.Object && outputs.EnumerateObject().FirstOrDefault() is { Value.ValueKind: not JsonValueKind.Undefined } first)
        {
            return first.Value.ValueKind == JsonValueKind.String ? first.Value.GetString() ?? "" : first.Value.GetRawText();
        }

        return outputs.GetRawText();
    }

    /// <summary>Queued, then running, then one of the final statuses: the only order in which an execution's status moves.</summary>
    private static int Rank(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Queued => 0,
        ExecutionStatus.Running => 1,
        _ => 2,
    };
}
