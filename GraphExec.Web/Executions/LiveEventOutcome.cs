namespace GraphExec.Web.Executions;

/// <summary>What <see cref="ExecutionView.Apply"/> made of a live event, and so whether the page needs the Api's record.</summary>
public enum LiveEventOutcome
{
    /// <summary>Seen before (a replay overlapping the live stream): nothing changed.</summary>
    Duplicate,

    /// <summary>The next event of the run: applied.</summary>
    Applied,

    /// <summary>
    /// Applied, but the events before it never came (a run started without live events, or a backlog trimmed or expired):
    /// the Api's record holds what they said, so the page reads it.
    /// </summary>
    Gap,

    /// <summary>The run's final event, applied: the Worker stores the outcome before it sends this, so the record is complete.</summary>
    Completed,
}
