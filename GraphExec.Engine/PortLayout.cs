namespace GraphExec.Engine;

/// <summary>
/// Where every port's value lives, as flat arrays indexed by node: each output port owns one slot,
/// each input port points at the slot of the output that feeds it. Built once per plan so a run
/// moves values by index, without dictionaries.
/// </summary>
internal sealed class PortLayout(int[] inputStart, int[] inputSlots, int[] outputStart)
{
    /// <summary>Node n's inputs are <c>InputSlots[InputStart[n]..InputStart[n + 1]]</c>.</summary>
    public int[] InputStart { get; } = inputStart;

    /// <summary>The slot feeding each input, or -1 when no edge connects it.</summary>
    public int[] InputSlots { get; } = inputSlots;

    /// <summary>Node n's outputs are slots <c>OutputStart[n]..OutputStart[n + 1]</c>.</summary>
    public int[] OutputStart { get; } = outputStart;

    public int SlotCount => OutputStart[^1];
}
