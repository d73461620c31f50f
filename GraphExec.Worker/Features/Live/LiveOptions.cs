using System.ComponentModel.DataAnnotations;

namespace GraphExec.Worker.Features.Live;

/// <summary>How the Worker hands live events to the Live service through Redis (configuration section <c>Live</c>).</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>
    /// Events kept per execution for replays and resumes. The default holds every event of the largest graph allowed
    /// (10,000 nodes: two events each, plus start and end); beyond it the oldest are trimmed.
    /// </summary>
    [Range(100, 1_000_000)]
    public int BacklogMaxEvents { get; set; } = 25_000;

    /// <summary>How long a run's backlog stays after its last event; a page opened later reads the stored execution instead.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan BacklogRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Events waiting in this process for Redis. The engine never waits on Redis; while Redis is away this many are held,
    /// and newer ones are dropped (counted in <c>graphexec.live.events.dropped</c>) rather than exhaust memory.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int MaxQueuedEvents { get; set; } = 100_000;
}
