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

/// <summary>
/// Which page to read: at most <see cref="Limit"/> items whose key comes after <see cref="After"/> in the list's order.
/// <see cref="After"/> is the key type's default (null, an empty id, 0) on the first page: keys start above it.
/// </summary>
public readonly record struct PageRequest<TKey>(TKey? After, int Limit)
{
    public bool IsFirst => EqualityComparer<TKey?>.Default.Equals(After, default);
}

/// <summary>The page size a list takes when the client names none, and the most it allows.</summary>
public readonly record struct PageLimits(int Default, int Max)
{
    /// <summary>The lists of things a person makes (graphs, executions, webhooks, …).</summary>
    public static readonly PageLimits Lists = new(50, 200);
}

/// <summary>The direction a list runs in by its key.</summary>
public enum KeyOrder
{
    /// <summary>Newest first, for keys that only grow (UUIDv7 ids, version numbers).</summary>
    Descending,

    /// <summary>By the key's natural order, for keys that say nothing of time (node ids).</summary>
    Ascending,
}

/// <summary>
/// Keyset pagination for every list of the Api, by a key that is the last column of an index whose other columns the
/// query fixes (owner first), so that any page costs one index range scan however deep it is. A cursor is the key of a
/// page's last item as text, base64url-encoded so that clients treat it as opaque. Ids, numbers and text keys all go
/// through the same two methods.
/// </summary>
public static class Paging
{
    private const int MaxCursorLength = 200;

    /// <summary>Reads the <c>cursor</c> and <c>limit</c> query values; a bad one answers a problem that names it.</summary>
    /// <param name="limits">The list's page sizes; <see cref="PageLimits.Lists"/> when not given.</param>
    public static ValidationProblem? Check<TKey>(string? cursor, int? limit, out PageRequest<TKey> page, PageLimits? limits = null)
        where TKey : IComparable<TKey>, IParsable<TKey>
    {
        var (defaultLimit, maxLimit) = limits ?? PageLimits.Lists;
        page = new PageRequest<TKey>(default, limit ?? defaultLimit);
        if (page.Limit < 1 || page.Limit > maxLimit)
        {
            return Problems.Invalid("limit", $"The limit must be between 1 and {maxLimit}.");
        }

        if (cursor is null)
        {
            return null;
        }

        if (!TryDecode(cursor, out TKey? after))
        {
            return Problems.Invalid("cursor", "The cursor is not one this API gave out.");
        }

        page = page with { After = after };
        return null;
    }

    /// <summary>Reads one page of <paramref name="rows"/>, newest first by <paramref name="key"/>.</summary>
    public static Task<Page<TItem>> ToPageAsync<TRow, TKey, TItem>(
        this IQueryable<TRow> rows, Expression<Func<TRow, TKey>> key, PageRequest<TKey> page, Expression<Func<TRow, TItem>> item,
        CancellationToken cancellationToken)
        where TKey : IComparable<TKey> =>
        rows.ToPageAsync(key, KeyOrder.Descending, page, item, cancellationToken);

    /// <summary>
    /// Reads one page of <paramref name="rows"/> in <paramref name="order"/> of <paramref name="key"/>, each row as
    /// <paramref name="item"/> (translated to SQL where it can be, else evaluated on each row read). One row more than
    /// the page is read: it only says that there is a next page.
    /// </summary>
    public static async Task<Page<TItem>> ToPageAsync<TRow, TKey, TItem>(
        this IQueryable<TRow> rows, Expression<Func<TRow, TKey>> key, KeyOrder order, PageRequest<TKey> page,
        Expression<Func<TRow, TItem>> item, CancellationToken cancellationToken)
        where TKey : IComparable<TKey>
    {
        if (!page.IsFirst)
        {
            rows = rows.Where(Beyond(key, page.After!, order));
        }

        var keyed = await (order == KeyOrder.Descending ? rows.OrderByDescending(key) : rows.OrderBy(key))
            .Take(page.Limit + 1)
            .Select(WithKey(key, item))
            .ToListAsync(cancellationToken);
        return keyed.Count > page.Limit
            ? new Page<TItem>([.. keyed.Take(page.Limit).Select(row => row.Item)], Encode(keyed[page.Limit - 1].Key))
            : new Page<TItem>([.. keyed.Select(row => row.Item)], null);
    }

    private static string Encode<TKey>(TKey key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{key}")));

    private static bool TryDecode<TKey>(string cursor, out TKey? key) where TKey : IComparable<TKey>, IParsable<TKey>
    {
        key = default;
        if (cursor.Length > MaxCursorLength || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        // Keys start above their type's default (versions at 1, ids are never empty, text keys are never empty), so a
        // cursor of one was never given out.
        var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        return text.Length > 0
            && TKey.TryParse(text, CultureInfo.InvariantCulture, out key)
            && key.CompareTo(default!) > 0;
    }

    /// <summary>
    /// <c>key.CompareTo(after) &lt; 0</c> (descending) or <c>&gt; 0</c> (ascending), which EF Core translates to
    /// <c>key &lt; @after</c> or <c>key &gt; @after</c> for ids, numbers and text alike; <paramref name="after"/> is read from
    /// a closure so that it is sent as a parameter and the query's plan is reused.
    /// </summary>
    private static Expression<Func<TRow, bool>> Beyond<TRow, TKey>(Expression<Func<TRow, TKey>> key, TKey after, KeyOrder order)
        where TKey : IComparable<TKey>
    {
        Expression<Func<TKey>> cursor = () => after;
        var compareTo = typeof(TKey).GetMethod(nameof(IComparable<TKey>.CompareTo), [typeof(TKey)])!;
        var comparison = Expression.Call(key.Body, compareTo, cursor.Body);
        var zero = Expression.Constant(0);
        return Expression.Lambda<Func<TRow, bool>>(
            order == KeyOrder.Descending ? Expression.LessThan(comparison, zero) : Expression.GreaterThan(comparison, zero),
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
