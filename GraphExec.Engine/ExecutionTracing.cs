using System.Diagnostics;

namespace GraphExec.Engine;

/// <summary>
/// What a run shows in a trace: the attribute names of an execution (set by the host on the span that runs it) and a span
/// per node run, started by the engine as a child of the span current when the run began. Spans are only made when that
/// span is recorded (the trace is sampled) and someone listens, so an unsampled run pays one check per run; past
/// <see cref="ExecutionOptions.MaxNodeSpans"/> a run records no more node spans, and says so with an event.
/// </summary>
public static class ExecutionTracing
{
    /// <summary>GraphExec's activity source; the same name as ServiceDefaults' <c>Telemetry.GraphExec</c>, which every service exports.</summary>
    public const string SourceName = "GraphExec";

    public const string ExecutionId = "graphexec.execution.id";
    public const string GraphId = "graphexec.graph.id";
    public const string GraphVersion = "graphexec.graph.version";
    public const string Trigger = "graphexec.execution.trigger";
    public const string Attempt = "graphexec.execution.attempt";
    public const string ExecutionStatus = "graphexec.execution.status";
    public const string NodeId = "graphexec.node.id";
    public const string BlockType = "graphexec.block.type";
    public const string NodeStatus = "graphexec.node.status";
    public const string NodeAttempts = "graphexec.node.attempts";
    public const string ErrorCode = "graphexec.error.code";

    /// <summary>The event on the run's span when its nodes went past <see cref="ExecutionOptions.MaxNodeSpans"/>.</summary>
    public const string NodeSpansLimited = "graphexec.node_spans_limited";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span a run's node spans are children of, or null when they would not be exported.</summary>
    internal static Activity? RecordedParent() =>
        Source.HasListeners() && Activity.Current is { Recorded: true } current ? current : null;
}
