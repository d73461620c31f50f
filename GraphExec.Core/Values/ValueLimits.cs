namespace GraphExec.Core.Values;

/// <summary>Which values go to blob storage (JSON longer than <paramref name="InlineThresholdBytes"/>) and which are refused.</summary>
public readonly record struct ValueLimits(long InlineThresholdBytes, long MaxValueBytes)
{
    public static ValueLimits From(BlobOptions options) => new(options.InlineThresholdBytes, options.MaxValueBytes);
}
