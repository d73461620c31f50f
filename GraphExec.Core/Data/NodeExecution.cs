using GraphExec.Engine;

namespace GraphExec.Core.Data;

/// <summary>The stored result of one node of an execution; a resumed run does not run it again.</summary>
public sealed class NodeExecution
{
    public Guid OwnerId { get; set; }

    public Guid ExecutionId { get; set; }

    public required string NodeId { get; set; }

    public NodeStatus Status { get; set; }

    /// <summary>Values received, by input port, as a <c>jsonb</c> object.</summary>
    public string? Inputs { get; set; }

    /// <summary>Values fired, by output port, as a <c>jsonb</c> object.</summary>
    public string? Outputs { get; set; }

    /// <summary>The error as a <c>jsonb</c> object, when the node failed.</summary>
    public string? Error { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// In a retry: the execution whose run of this node is reused here (the one that ran it, however many retries ago),
    /// so the node was not run again. Null for a node this execution ran.
    /// </summary>
    public Guid? ReusedFrom { get; set; }
}
