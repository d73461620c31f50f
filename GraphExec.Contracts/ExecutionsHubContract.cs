namespace GraphExec.Contracts;

/// <summary>
/// The Live service's executions hub as both sides name it: Live maps and sends with these names, and the Web UI connects
/// and subscribes with them, so that a rename on one side cannot silently break the other.
/// </summary>
public static class ExecutionsHubContract
{
    public const string Path = "/hubs/executions";

    /// <summary>Server method <c>Subscribe(executionId, afterSequence)</c>: replays the events after that sequence, then streams new ones.</summary>
    public const string Subscribe = "Subscribe";

    /// <summary>Server method <c>Unsubscribe(executionId)</c>: stops the stream of one execution.</summary>
    public const string Unsubscribe = "Unsubscribe";

    /// <summary>Client method that receives each event, one event object per call.</summary>
    public const string ExecutionEvent = "ExecutionEvent";
}
