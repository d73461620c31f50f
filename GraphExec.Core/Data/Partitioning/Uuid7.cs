namespace GraphExec.Core.Data.Partitioning;

/// <summary>
/// UUIDv7s as time: their first 48 bits are the Unix time in milliseconds, and PostgreSQL orders uuids by their bytes,
/// so the ids of a time range are the ids between the floors of its ends (the SQL function <c>uuid7_floor</c> is the same).
/// </summary>
public static class Uuid7
{
    /// <summary>The UUIDv7 of <paramref name="at"/> with zero random bits: no id made at or after it is lower.</summary>
    public static Guid Floor(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = at.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)milliseconds;
            milliseconds >>= 8;
        }

        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The time in a UUIDv7, to the millisecond.</summary>
    public static DateTimeOffset TimeOf(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long milliseconds = 0;
        for (var i = 0; i < 6; i++)
        {
            milliseconds = (milliseconds << 8) | bytes[i];
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }
}
