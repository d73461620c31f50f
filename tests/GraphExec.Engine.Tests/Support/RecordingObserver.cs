using System.Collections.Concurrent;
using GraphExec.Engine;

namespace GraphExec.Engine.Tests.Support;

/// <summary>Keeps every event it is given, in order.</summary>
public sealed class RecordingObserver : IExecutionObserver
{
    private readonly ConcurrentQueue<ExecutionEvent> _events = new();

    public IReadOnlyList<ExecutionEvent> Events => [.. _events];

    public void OnEvent(ExecutionEvent executionEvent) => _events.Enqueue(executionEvent);

    /// <summary>"Type:node" for each event, to compare orders at a glance.</summary>
    public IReadOnlyList<string> Steps => [.. _events.Select(e => e.NodeId is null ? $"{e.Type}" : $"{e.Type}:{e.NodeId}")];
}
