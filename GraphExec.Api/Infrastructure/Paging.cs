using System.Buffers.Text;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace GraphExec.Api.Infrastructure;

/// <summary>A page of a keyset-paginated list; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Which page to read: at most <see cref="Limit"/> items whose key is below <see cref="After"/> (null: from the newest).</summary>
public readonly record struct PageRequest<TKey>(TKey? After, int Limit) where TKey : struct;

/// <summary>
/// Keyset pagination for every list of the Api: newest first by a key that only grows (UUIDv7 ids, version numbers), so
/// that any page costs one index range scan however deep it is. A cursor is the key of a page's last item, base64url-encoded
/// so that clients treat it as opaque.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private const int MaxCursorLength = 200;

    /// <summary>Reads the <c>cursor</c> and <c>limit</c> query values; a bad one answers a problem that names it.</summary>
    public static ValidationProblem? Check<TKey>(string? cursor, int? limit, out PageRequest<TKey> page)
        where TKey : struct, IComparable<TKey>, IParsable<TKey>
    {
        page = new PageRequest<TKey>(null, limit ?? DefaultLimit);
        if (page.Limit is < 1 or > MaxLimit)
        {
            return Problems.Invalid("limit", $"The limit must be between 1 and {MaxLimit}.");
        }

        if (cursor is null)
        {
            return null;
        }

        if (!TryDecode(cursor, out TKey after))
        {
            return Problems.Invalid("cursor", "The cursor is not one this API gave out.");
        }

        page = page with { After = after };
        return null;
    }

    /// <summary>
    /// Reads one page of <paramref name="rows"/>, newest first by <paramref name="key"/>, each row as <paramref name="item"/>
    /// (translated to SQL where it can be, else evaluated on each row read). One row more than the page is read: it only
    /// says that there is a next page.
    /// </summary>
    public static async Task<Page<TItem>> ToPageAsync<TRow, TKey, TItem>(
        this IQueryable<TRow> rows, Expression<Func<TRow, TKey>> key, PageRequest<TKey> page, Expression<Func<TRow, TItem>> item,
        CancellationToken cancellationToken)
        where TKey : struct, IComparable<TKey>, IFormattable
    {
        if (page.After is { } after)
        {
            rows = rows.Where(Below(key, after));
        }

        var keyed = await rows
            .OrderByDescending(key)
            .Take(page.Limit + 1)
            .Select(WithKey(key, item))
            .ToListAsync(cancellationToken);
        return keyed.Count > page.Limit
            ? new Page<TItem>([.. keyed.Take(page.Limit).Select(row => row.Item)], Encode(keyed[page.Limit - 1].Key))
            : new Page<TItem>([.. keyed.Select(row => row.Item)], null);
    }

    private static string Encode<TKey>(TKey key) where TKey : IFormattable =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key.ToString(null, CultureInfo.InvariantCulture)));

    private static bool TryDecode<TKey>(string cursor, out TKey key) where TKey : struct, IComparable<TKey>, IParsable<TKey>
    {
        key = default;
        // Keys start above their type's default (versions at 1, ids are never empty), so a cursor of one was never given out.
        return cursor.Length <= MaxCursorLength
            && Base64Url.IsValid(cursor)
            && TKey.TryParse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)), CultureInfo.InvariantCulture, out key)
            && key.CompareTo(default) > 0;
    }

    /// <summary>
    /// <c>key.CompareTo(after) &lt; 0</c>, which EF Core translates to <c>key &lt; @after</c> for ids and numbers alike;
    /// <paramref name="after"/> is read from a closure so that it is sent as a parameter and the query's plan is reused.
    /// </summary>
    private static Expression<Func<TRow, bool>> Below<TRow, TKey>(Expression<Func<TRow, TKey>> key, TKey after)
        where TKey : struct, IComparable<TKey>
    {
        Expression<Func<TKey>> cursor = () => after;
        var compareTo = typeof(TKey).GetMethod(nameof(IComparable<TKey>.CompareTo), [typeof(TKey)])!;
        return Expression.Lambda<Func<TRow, bool>>(
            Expression.LessThan(Expression.Call(key.Body, compareTo, cursor.Body), Expression.Constant(0)),
            key.Parameters);
    }

    /// <summary>Each row as its key and its item, so that the next cursor comes from the row the item was made of.</summary>
    private static Expression<Func<TRow, Keyed<TKey, TItem>>> WithKey<TRow, TKey, TItem>(
        Expression<Func<TRow, TKey>> key, Expression<Func<TRow, TItem>> item)
    {
        var row = key.Parameters[0];
        return Expression.Lambda<Func<TRow, Keyed<TKey, TItem>>>(
            Expression.New(
                typeof(Keyed<TKey, TItem>).GetConstructor([typeof(TKey), typeof(TItem)])!,
                key.Body,
                ReplacingExpressionVisitor.Replace(item.Parameters[0], row, item.Body)),
            row);
    }

    private sealed record Keyed<TKey, TItem>(TKey Key, TItem Item);
}
