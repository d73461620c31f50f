using System.ComponentModel.DataAnnotations;

namespace GraphExec.Worker;

/// <summary>How the Worker runs executions (configuration section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>
    /// How long a claim holds without renewal; it is renewed every third of it. A crashed worker's executions are taken
    /// over after at most this long, so it trades takeover speed against database writes per running execution.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many executions one worker process runs at once.</summary>
    [Range(1, 10_000)]
    public int ConcurrentExecutions { get; set; } = 32;

    /// <summary>
    /// How long a run holds one of the <see cref="ConcurrentExecutions"/> before it gives the slot back and carries on under
    /// its lease (see <c>DetachedExecutions</c>); <c>-00:00:00.001</c> (infinite) never.
    /// </summary>
    public TimeSpan DetachAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Runs one worker process carries on without a slot at most; they cost memory only while they wait.</summary>
    [Range(0, 1_000_000)]
    public int MaxDetachedExecutions { get; set; } = 1_000;

    /// <summary>Messages fetched ahead of the running ones, so that a finished run is replaced without a round trip.</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 48;

    /// <summary>How long completed nodes may wait in memory before they are written, so that a takeover can resume from them.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many completed nodes are written at once at most, before the interval is up.</summary>
    [Range(1, 100_000)]
    public int FlushBatchSize { get; set; } = 1_000;

    /// <summary>How long a whole execution may run before it ends TimedOut.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Names this process in leases and in its cancellation queue; unique per process when not set.</summary>
    [RegularExpression("^[a-z0-9-]{1,100}$")]
    public string? InstanceId { get; set; }

    /// <summary>A redelivered message whose execution another worker holds is tried again every quarter lease, up to about 1.5 leases.</summary>
    internal int LeaseWaitRetries => 6;

    internal TimeSpan LeaseWaitInterval => Lease / 4;

    internal TimeSpan RenewEvery => Lease / 3;
}
