using System.Buffers.Binary;
using System.Globalization;

namespace GraphExec.Core.Values;

/// <summary>
/// How a value's blob is named: <c>{yyyy-MM-dd}/{ownerId:N}/{executionId:N}/{key}</c>, the day being the UTC day of the
/// execution id's UUIDv7 timestamp. Each execution's blobs share a prefix computed from its key alone (so deleting them
/// needs no lookup), and each day's share one (so retention and the orphan collector can work a day at a time).
/// </summary>
public static class BlobNames
{
    private const string DayFormat = "yyyy-MM-dd";

    public static string Of(ExecutionKey execution, string key) => Prefix(execution) + key;

    /// <summary>The prefix of every blob of the execution, ending in <c>/</c>.</summary>
    public static string Prefix(ExecutionKey execution) =>
        $"{DayPrefix(DayOf(execution.ExecutionId))}{execution.OwnerId:N}/{execution.ExecutionId:N}/";

    /// <summary>The prefix of every blob of executions created on <paramref name="day"/> (UTC), ending in <c>/</c>.</summary>
    public static string DayPrefix(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture) + "/";

    /// <summary>The UTC day of a UUIDv7's timestamp (its first 48 bits, milliseconds since the Unix epoch).</summary>
    public static DateOnly DayOf(Guid executionId)
    {
        Span<byte> bytes = stackalloc byte[16];
        executionId.TryWriteBytes(bytes, bigEndian: true, out _);
        var milliseconds = (long)(BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 16);
        return DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime);
    }

    /// <summary>The execution and key a blob name stands for, or null for a name this layout did not make.</summary>
    public static (ExecutionKey Execution, string Key)? Parse(string name)
    {
        var parts = name.Split('/');
        return parts.Length == 4
            && Guid.TryParseExact(parts[1], "N", out var owner)
            && Guid.TryParseExact(parts[2], "N", out var execution)
            && ValueReference.IsKey(parts[3])
            && parts[0] == DayPrefix(DayOf(execution)).TrimEnd('/')
                ? (new ExecutionKey(owner, execution), parts[3])
                : null;
    }
}
