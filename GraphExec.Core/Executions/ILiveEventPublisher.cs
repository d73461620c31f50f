using GraphExec.Core.Engine;

namespace GraphExec.Core.Executions;

/// <summary>
/// Receives every event of executions started with <c>live: true</c>, in order, for the live view. Called on the thread
/// that drives the run, so it must not block: an implementation buffers the event and sends it elsewhere.
/// </summary>
public interface ILiveEventPublisher
{
    void Publish(Guid ownerId, ExecutionEvent executionEvent);
}

/// <summary>The default until a live backplane is registered: events of live runs go nowhere.</summary>
public sealed class NoLiveEvents : ILiveEventPublisher
{
    public void Publish(Guid ownerId, ExecutionEvent executionEvent)
    {
    }
}
