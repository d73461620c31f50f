namespace GraphExec.Core.Data;

/// <summary>
/// How many of one owner's executions hold a run slot (are Running), so that the per-user cap is decided on one row
/// instead of by counting. Written only by <see cref="Executions.ExecutionStore"/>, in the statements that claim a Queued
/// execution and that end a Running one; the row is made by the owner's first claim.
/// </summary>
public sealed class OwnerSlots
{
    public Guid OwnerId { get; set; }

    /// <summary>The owner's executions with status Running, whether their lease is valid or expired.</summary>
    public int Running { get; set; }
}
