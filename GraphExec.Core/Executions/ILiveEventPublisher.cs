using GraphExec.Engine;

namespace GraphExec.Core.Executions;

/// <summary>
/// Receives every event of executions started with <c>live: true</c>, in order, and the final event of every execution,
/// for the live view. Called on the thread that drives the run, so it must not block: an implementation buffers the
/// event and sends it elsewhere.
/// </summary>
public interface ILiveEventPublisher
{
    void Publish(Guid ownerId, ExecutionEvent executionEvent);
}
