namespace GraphExec.Load;

/// <summary>One signed webhook delivery: when it was first sent, and what the ingress answered in the end.</summary>
public sealed class Trigger(int index, Hook hook, string deliveryId)
{
    public int Index { get; } = index;

    public Hook Hook { get; } = hook;

    /// <summary>The <c>webhook-id</c>; a retry sends the same one, so it can never start a second execution.</summary>
    public string DeliveryId { get; } = deliveryId;

    public DateTimeOffset SentAt { get; set; }

    public Guid? ExecutionId { get; set; }

    /// <summary>Null once accepted; otherwise the last failure, e.g. <c>429</c>, <c>503</c>, <c>timeout</c>, <c>connection</c>.</summary>
    public string? Failure { get; set; }

    public int Attempts { get; set; }

    /// <summary>The ingress answered once the run had ended (200 to a delivery with <c>?wait=</c>).</summary>
    public bool AnsweredWhenDone { get; set; }

    /// <summary>When the last answer arrived: for a delivery answered when done, what its sender waited for.</summary>
    public DateTimeOffset AnsweredAt { get; set; }
}
