using System.ComponentModel.DataAnnotations;

namespace GraphExec.Worker.Features.Notifications;

/// <summary>How notifications are delivered (configuration section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Attempts per delivery, the first included; a 4xx other than 408 and 429 is not tried again.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt; it doubles for each further one, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one attempt may take, connection and answer included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Ended runs whose notifications one worker handles at once.</summary>
    [Range(1, 1_000)]
    public int ConcurrentNotifications { get; set; } = 16;
}
