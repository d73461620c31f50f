namespace GraphExec.Engine;

/// <summary>The state of one output port in one run.</summary>
internal enum SlotState : byte
{
    /// <summary>Its node has not finished.</summary>
    Pending,

    /// <summary>It carries a value (possibly JSON null).</summary>
    Fired,

    /// <summary>Its node finished without firing it (a branch not taken) or was skipped.</summary>
    Dead,
}
