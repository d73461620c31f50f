using System.Globalization;

namespace GraphExec.Engine.Blocks;

/// <summary>A value a block was building went over <see cref="NodeContext.MaxValueBytes"/>; the node fails with <c>value_too_large</c>.</summary>
public sealed class ValueTooLargeException(long limit)
    : Exception($"The value being built is larger than the limit of {limit.ToString(CultureInfo.InvariantCulture)} bytes for a value.");
