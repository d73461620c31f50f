using System.Diagnostics;

namespace GraphExec.ServiceDefaults;

/// <summary>
/// Spans for background work that polls (the schedule dispatcher's cycle, a sweep): each cycle is the root of a trace of
/// its own, whose children are its database calls and publishes. A cycle is recorded but not sampled when it starts, so
/// its calls cost next to nothing and an idle cycle is never exported; <see cref="Worked"/> makes a cycle that found work
/// sampled, within the trace budget (the ratio and the cap per second), from then on (what it does next is exported, the query that found the work is not);
/// a cycle that fails or is slow is exported by <see cref="TraceSampling"/>'s processor like any entry span. Registered by
/// <see cref="TraceSampling.AddGraphExecSampling"/>.
/// </summary>
public sealed class BackgroundTracing(TraceBudget budget)
{
    /// <summary>Marks a poll's span at its creation, where the sampler sees it.</summary>
    public const string PollTag = "graphexec.poll";

    private static readonly ActivitySource Source = new(Telemetry.GraphExec);
    private static readonly KeyValuePair<string, object?>[] PollTags = [new(PollTag, true)];

    /// <summary>Starts one cycle's span (null when nobody listens); the caller disposes it when the cycle ends.</summary>
    public Activity? StartPoll(string name) => Source.StartActivity(name, ActivityKind.Internal, default(ActivityContext), PollTags);

    /// <summary>
    /// Runs one cycle in its span (see <see cref="StartPoll"/>); the cycle calls <see cref="Worked"/> when it finds work,
    /// and a failure is recorded on the span before it propagates.
    /// </summary>
    public async Task PollAsync(string name, Func<Activity?, CancellationToken, Task> cycle, CancellationToken cancellationToken)
    {
        using var poll = StartPoll(name);
        try
        {
            await cycle(poll, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Failed(poll, exception);
            throw;
        }
    }

    /// <summary>The cycle found work: it is sampled from now on when the budget samples its trace.</summary>
    public void Worked(Activity? poll)
    {
        if (poll is { Recorded: false } && budget.Samples(poll.TraceId, poll.OperationName, poll.Kind))
        {
            poll.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }
    }

    /// <summary>The cycle failed: exported with the exception (an error status is kept whatever the sampling).</summary>
    public static void Failed(Activity? poll, Exception exception)
    {
        poll?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        poll?.AddException(exception);
    }

    internal static bool IsPoll(IEnumerable<KeyValuePair<string, object?>>? tags)
    {
        if (tags is null)
        {
            return false;
        }

        foreach (var (key, _) in tags)
        {
            if (string.Equals(key, PollTag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
