namespace GraphExec.Engine;

/// <summary>The token of one attempt with a timeout: cancelled when the run stops or the time is up.</summary>
internal sealed class NodeDeadline : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;

    public NodeDeadline(TimeSpan timeout, TimeProvider timeProvider, CancellationToken run)
    {
        _timeout = new CancellationTokenSource(timeout, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(run, _timeout.Token);
    }

    public CancellationToken Token => _linked.Token;

    public bool HasExpired => _timeout.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
