using System.Buffers.Text;
using System.Text;

namespace GraphExec.Api.Infrastructure;

/// <summary>A page of a keyset-paginated list; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Opaque cursors for keyset pagination: the key of the last item of a page, base64url-encoded.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    public static bool TryDecode(string cursor, out string key)
    {
        key = "";
        if (cursor.Length > 200 || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        key = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        return true;
    }

    public static bool TryDecode(string cursor, out Guid id)
    {
        id = Guid.Empty;
        return TryDecode(cursor, out string key) && Guid.TryParse(key, out id);
    }

    public static bool TryDecode(string cursor, out int number)
    {
        number = 0;
        return TryDecode(cursor, out string key) && int.TryParse(key, out number) && number > 0;
    }

    /// <summary>Builds the page from up to <paramref name="limit"/> + 1 rows: the extra row only says there is more.</summary>
    public static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, string> keyOf) =>
        rows.Count > limit
            ? new Page<T>(rows[..limit], Encode(keyOf(rows[limit - 1])))
            : new Page<T>(rows, null);
}
