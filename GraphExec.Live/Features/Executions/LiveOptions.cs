using System.ComponentModel.DataAnnotations;

namespace GraphExec.Live.Features.Executions;

/// <summary>How much a connection that does not keep up may hold and how long it may stall before it is closed.</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>
    /// How long one event may wait to be written to a connection (its socket buffers full: the client reads nothing) before the
    /// connection is closed as too slow. The client then reconnects and resumes from the last sequence it saw.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SlowClientTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The bytes of events one subscription may hold while its connection is busy; beyond them (but always one event) new
    /// events are dropped there and read again from the backlog once the connection catches up.
    /// </summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int SubscriptionBufferBytes { get; set; } = 256 * 1024;
}
