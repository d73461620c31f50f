namespace GraphExec.Engine;

/// <summary>
/// Receives a run's events in order, one call at a time, on the thread driving the run. It must not
/// block: an implementation that writes to a store or a backplane buffers the event (a channel) and
/// does the I/O elsewhere, so that live views cannot slow executions down.
/// </summary>
public interface IExecutionObserver
{
    void OnEvent(ExecutionEvent executionEvent);
}
