using System.Text.Json;
using GraphExec.Contracts;
using GraphExec.Web.Api;
using GraphExec.Web.Components.Shared;

namespace GraphExec.Web.Executions;

/// <summary>
/// One node of a run as its page knows it, from the Api's record and from live events. The two arrive in any order (the
/// Worker writes its record in batches, so live events are usually ahead), so a status never steps back.
/// </summary>
public sealed class NodeView(string id)
{
    public string Id { get; } = id;

    public NodeStatus Status { get; private set; } = NodeStatus.Pending;

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public JsonElement? Inputs { get; private set; }

    public JsonElement? Outputs { get; private set; }

    public JsonElement? Error { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>In a retry: the execution whose result of this node was reused, so it did not run here.</summary>
    public Guid? ReusedFrom { get; private set; }

    /// <summary>How long it ran, as a person reads it; "—" until it has finished.</summary>
    public string Took => Formats.Duration(StartedAt, FinishedAt);

    /// <summary>A node that has not run, shown with the status the run's outcome implies for it.</summary>
    internal static NodeView Unreached(string id, NodeStatus status) => new(id) { Status = status };

    internal void Merge(NodeExecution row)
    {
        if (Rank(row.Status) >= Rank(Status))
        {
            Status = row.Status;
            StartedAt = row.StartedAt ?? StartedAt;
            FinishedAt = row.FinishedAt ?? FinishedAt;
            Outputs = row.Outputs ?? Outputs;
            Error = row.Error ?? Error;
        }

        // Only the record has a node's inputs and attempts; the events do not carry them.
        Inputs = row.Inputs ?? Inputs;
        Attempts = Math.Max(Attempts, row.Attempts);
        ReusedFrom = row.ReusedFrom ?? ReusedFrom;
    }

    internal void Apply(ExecutionEvent executionEvent, NodeStatus status)
    {
        if (Rank(status) < Rank(Status))
        {
            return;
        }

        Status = status;
        if (executionEvent.Type == ExecutionEventType.NodeStarted)
        {
            StartedAt ??= executionEvent.Timestamp;
        }
        else
        {
            FinishedAt ??= executionEvent.Timestamp;
        }

        Outputs = executionEvent.Outputs ?? Outputs;
        Error = executionEvent.Error ?? Error;
    }

    /// <summary>Pending, then running, then one of the final statuses: the only order in which a node's status moves.</summary>
    private static int Rank(NodeStatus status) => status switch
    {
        NodeStatus.Pending => 0,
        NodeStatus.Running => 1,
        _ => 2,
    };
}
