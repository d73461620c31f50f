namespace GraphExec.Core.Executions;

/// <summary>
/// Where a run's live events are in Redis, for the Worker that writes them and the Live service that reads them: a
/// capped stream per execution (the backlog that replays and resumes read, entry id = <c>{sequence}-0</c>) and a pub/sub
/// channel per execution that carries each event once it is in the backlog. Both are keyed by owner first.
/// </summary>
public static class LiveStream
{
    /// <summary>The field of a backlog entry that holds the event's JSON.</summary>
    public const string EventField = "e";

    public static string BacklogKey(string? keyPrefix, Guid ownerId, Guid executionId) =>
        $"{keyPrefix}live:{ownerId:N}:{executionId:N}:backlog";

    public static string Channel(string? keyPrefix, Guid ownerId, Guid executionId) =>
        $"{keyPrefix}live:{ownerId:N}:{executionId:N}";

    /// <summary>The backlog entry id of an event.</summary>
    public static string EntryId(long sequence) => $"{sequence}-0";

    /// <summary>The sequence of a backlog entry id.</summary>
    public static long SequenceOf(string entryId) => long.Parse(entryId.AsSpan(0, entryId.IndexOf('-', StringComparison.Ordinal)), provider: null);
}
