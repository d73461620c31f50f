using System.ComponentModel.DataAnnotations;

namespace GraphExec.Scheduler.Features.Dispatching;

public sealed class DispatcherOptions
{
    public const string Section = "Scheduler";

    /// <summary>
    /// The longest the dispatcher sleeps: it wakes at the next due time when that is sooner, so this only bounds how
    /// long a schedule created or changed in the Api waits to be seen.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many due schedules one transaction claims; more due than this are taken at once by the next one.</summary>
    [Range(1, 20_000)]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>
    /// How many dispatch loops run at once in this process. Each claims its own rows (SKIP LOCKED), so that one loop's
    /// insert and commit overlap another's; with more fires due at one second than one batch holds, they share them.
    /// </summary>
    [Range(1, 16)]
    public int Concurrency { get; set; } = 1;

    /// <summary>
    /// A fire time later than this when the dispatcher sees it is a misfire (the Scheduler was down or far behind), and the
    /// schedule's misfire policy applies; a fire time less late than this simply fires late.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MisfireGrace { get; set; } = TimeSpan.FromSeconds(10);
}
