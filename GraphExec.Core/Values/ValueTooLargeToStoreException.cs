using System.Globalization;

namespace GraphExec.Core.Values;

/// <summary>A value is larger than <see cref="BlobOptions.MaxValueBytes"/>: nothing of it is stored.</summary>
public sealed class ValueTooLargeToStoreException(string name, long bytes, long limit)
    : Exception($"The value '{name}' has {bytes.ToString(CultureInfo.InvariantCulture)} bytes of JSON, over the limit of {limit.ToString(CultureInfo.InvariantCulture)}.")
{
    /// <summary>The input, output or port whose value is too large.</summary>
    public string Name { get; } = name;

    public long Bytes { get; } = bytes;

    public long Limit { get; } = limit;
}
