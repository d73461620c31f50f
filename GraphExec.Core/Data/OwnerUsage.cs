namespace GraphExec.Core.Data;

/// <summary>
/// What one owner keeps, counted as it changes so that a quota is decided on one row instead of by counting. Written only
/// through <see cref="Quotas.Usage"/>, in the transaction that adds or removes what it counts; the row is made by the
/// owner's first change.
/// </summary>
public sealed class OwnerUsage
{
    public Guid OwnerId { get; set; }

    /// <summary>Graphs not deleted.</summary>
    public int Graphs { get; set; }

    public int Webhooks { get; set; }

    public int Schedules { get; set; }

    public int Credentials { get; set; }

    /// <summary>The <see cref="GraphVersion.SizeBytes"/> of every version kept.</summary>
    public long StoredBytes { get; set; }
}
