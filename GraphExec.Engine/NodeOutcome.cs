namespace GraphExec.Engine;

/// <summary>How one node's run ended, after all its attempts.</summary>
internal readonly record struct NodeOutcome(NodeStatus Status, ExecutionError? Error)
{
    public static NodeOutcome Succeeded { get; } = new(NodeStatus.Succeeded, null);

    public static NodeOutcome Cancelled { get; } = new(NodeStatus.Cancelled, null);

    public static NodeOutcome Failed(ExecutionError error) => new(NodeStatus.Failed, error);
}
