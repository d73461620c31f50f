using GraphExec.Engine;

namespace GraphExec.Core.Notifications;

/// <summary>
/// The final statuses a notification endpoint may ask for, by the names the Api and the delivery's <c>type</c> use
/// (<c>execution.failed</c>). A succeeded run is never told of: graphs that succeed pay nothing for notifications.
/// </summary>
public static class NotificationEvents
{
    public const string Failed = "failed";
    public const string TimedOut = "timedOut";
    public const string Cancelled = "cancelled";

    /// <summary>What an endpoint gets when it names no events.</summary>
    public static readonly ExecutionStatus[] Default = [ExecutionStatus.Failed, ExecutionStatus.TimedOut];

    /// <summary>The statuses whose end starts the graph's error handler.</summary>
    public static readonly ExecutionStatus[] ErrorHandled = [ExecutionStatus.Failed, ExecutionStatus.TimedOut];

    private static readonly Dictionary<string, ExecutionStatus> ByName = new(StringComparer.Ordinal)
    {
        [Failed] = ExecutionStatus.Failed,
        [TimedOut] = ExecutionStatus.TimedOut,
        [Cancelled] = ExecutionStatus.Cancelled,
    };

    /// <summary>Every name, for a refusal's message.</summary>
    public static string Names => string.Join(", ", ByName.Keys);

    public static bool TryParse(string name, out ExecutionStatus status) => ByName.TryGetValue(name, out status);

    public static string NameOf(ExecutionStatus status) => ByName.Single(entry => entry.Value == status).Key;

    /// <summary>The delivery's <c>type</c>, e.g. <c>execution.failed</c>.</summary>
    public static string TypeOf(ExecutionStatus status) => "execution." + NameOf(status);
}
