using Npgsql;
using NpgsqlTypes;

namespace GraphExec.Core.Data;

/// <summary>
/// Array parameters whose elements may be null, for the batched statements that read their rows from <c>unnest</c>:
/// Npgsql cannot tell the element type of an array from its nulls, so it is given.
/// </summary>
public static class ArrayParameters
{
    public static NpgsqlParameter Texts(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    public static NpgsqlParameter Times(IEnumerable<DateTimeOffset?> values) =>
        new() { Value = values.Select(v => v?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    public static NpgsqlParameter Ids(IEnumerable<Guid?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };
}
