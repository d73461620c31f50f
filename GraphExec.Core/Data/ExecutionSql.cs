using GraphExec.Engine;

namespace GraphExec.Core.Data;

/// <summary>
/// The SQL that says whether an execution has ended, written once for every hand-written statement and for the model.
/// Queued and Running share one index key (a null <see cref="Execution.FinishedStatus"/>), so that a claim is a HOT
/// update; a statement that looks for unfinished executions, or for the Queued or the Running ones, reaches them through
/// that key.
/// </summary>
public static class ExecutionSql
{
    private static readonly short Queued = (short)ExecutionStatus.Queued;
    private static readonly short Running = (short)ExecutionStatus.Running;

    /// <summary>The expression of the stored <c>finished_status</c> column.</summary>
    public static readonly string FinishedStatus = $"CASE WHEN status IN ({Queued}, {Running}) THEN NULL ELSE status END";

    /// <summary>The execution <paramref name="alias"/> (or the row, with none) has not ended: it is Queued or Running.</summary>
    public static string Unfinished(string? alias = null) => alias is null ? "finished_status IS NULL" : $"{alias}.finished_status IS NULL";

    /// <summary>
    /// The execution <paramref name="alias"/> has the unfinished <paramref name="status"/> (Queued or Running): the index
    /// key first, so that an index on (owner, finished_status, …) serves it, then the status itself.
    /// </summary>
    public static string Is(string alias, ExecutionStatus status) => $"({Unfinished(alias)} AND {alias}.status = {(short)status})";

    /// <summary>Whether <paramref name="status"/> is an end: the index keeps it as the finished status.</summary>
    public static bool IsEnd(ExecutionStatus status) => status is not (ExecutionStatus.Queued or ExecutionStatus.Running);
}
