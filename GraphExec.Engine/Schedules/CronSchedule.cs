using Cronos;
using GraphExec.Engine.Validation;

namespace GraphExec.Engine.Schedules;

/// <summary>
/// A cron expression (5 fields, or 6 with seconds first) in an IANA time zone: the one place that parses, validates and
/// computes fire times, for the Api's <c>nextFireTimes</c> and the Scheduler's dispatcher alike.
/// </summary>
/// <remarks>
/// Daylight saving time follows Cronos (docs/schedules.md): when clocks jump forward, a fire time inside the skipped hour
/// happens once at the first instant after the jump (03:00 in Berlin), except for expressions that step through the hour
/// (<c>*/15</c>, <c>*</c> or a range in the minute or hour field), whose skipped times simply do not exist; when clocks go
/// back, a fire time inside the repeated hour happens once, in its first (summer time) pass, except for such stepping
/// expressions, which fire in both passes.
/// </remarks>
public sealed class CronSchedule
{
    public const int MaxCronLength = 120;
    public const int MaxTimeZoneLength = 64;
    public const string DefaultTimeZone = "UTC";

    private CronSchedule(CronExpression expression, TimeZoneInfo timeZone)
    {
        Expression = expression;
        TimeZone = timeZone;
    }

    public CronExpression Expression { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses a stored schedule, which was validated when it was saved.</summary>
    public static CronSchedule Parse(string cron, string timeZone) =>
        TryParse(cron, timeZone, out var schedule) is { Count: 0 }
            ? schedule!
            : throw new FormatException($"The stored schedule '{cron}' in '{timeZone}' does not parse.");

    /// <summary>Every problem at once, each at <c>/cron</c> or <c>/timeZone</c>; none when <paramref name="schedule"/> is set.</summary>
    public static IReadOnlyList<ValidationError> TryParse(string? cron, string? timeZone, out CronSchedule? schedule)
    {
        schedule = null;
        var errors = new List<ValidationError>();
        var expression = ParseCron(cron, errors);
        var zone = FindTimeZone(timeZone ?? DefaultTimeZone, errors);
        if (expression is not null && zone is not null)
        {
            schedule = new CronSchedule(expression, zone);
        }

        return errors;
    }

    /// <summary>The first fire time strictly after <paramref name="instant"/>, or null when there is none (e.g. 30 February).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset instant) =>
        Expression.GetNextOccurrence(instant, TimeZone, inclusive: false)?.ToUniversalTime();

    /// <summary>Up to <paramref name="count"/> fire times strictly after <paramref name="instant"/>, in UTC.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset instant, int count)
    {
        var times = new List<DateTimeOffset>(count);
        var from = instant;
        while (times.Count < count && NextAfter(from) is { } next)
        {
            times.Add(next);
            from = next;
        }

        return times;
    }

    /// <summary>
    /// The shortest time between two of the next <paramref name="count"/> fire times after <paramref name="instant"/>, or
    /// null when it fires less than twice. A few hundred fire times show what a cron allows: its fields repeat every minute,
    /// hour, day or year, and a thousand fire times of even the rarest pattern span centuries.
    /// </summary>
    public TimeSpan? ShortestInterval(DateTimeOffset instant, int count = 1_000)
    {
        TimeSpan? shortest = null;
        var previous = NextAfter(instant);
        for (var i = 1; i < count && previous is { } from && NextAfter(from) is { } next; i++)
        {
            if (shortest is null || next - from < shortest)
            {
                shortest = next - from;
            }

            previous = next;
        }

        return shortest;
    }

    /// <summary>The fire times in [<paramref name="from"/>, <paramref name="to"/>], at most <paramref name="limit"/> of them.</summary>
    public IReadOnlyList<DateTimeOffset> Between(DateTimeOffset from, DateTimeOffset to, int limit) =>
        Expression.GetOccurrences(from, to, TimeZone, fromInclusive: true, toInclusive: true)
            .Take(limit)
            .Select(time => time.ToUniversalTime())
            .ToList();

    /// <summary>The last fire time at or before <paramref name="instant"/> and after <paramref name="notBefore"/>, if any.</summary>
    public DateTimeOffset? LastAtOrBefore(DateTimeOffset instant, DateTimeOffset notBefore)
    {
        // Cronos only looks forward: widen a window backwards until it holds an occurrence, so that a per-second
        // schedule costs a few dozen steps and a yearly one a handful of windows.
        for (var window = TimeSpan.FromMinutes(1); ; window *= 8)
        {
            var from = instant - window;
            var clipped = from <= notBefore;
            var last = Expression.GetOccurrences(clipped ? notBefore : from, instant, TimeZone, fromInclusive: !clipped, toInclusive: true)
                .Select(time => (DateTimeOffset?)time.ToUniversalTime())
                .LastOrDefault();
            if (last is not null || clipped)
            {
                return last;
            }
        }
    }

    private static CronExpression? ParseCron(string? cron, List<ValidationError> errors)
    {
        const string pointer = "/cron";
        if (string.IsNullOrWhiteSpace(cron))
        {
            errors.Add(new ValidationError(pointer, ValidationCodes.MissingProperty,
                "A schedule needs a cron expression: 5 fields (minute hour day month weekday) or 6 with seconds first."));
            return null;
        }

        if (cron.Length > MaxCronLength)
        {
            errors.Add(new ValidationError(pointer, ValidationCodes.TooLarge, $"The cron expression may have at most {MaxCronLength} characters."));
            return null;
        }

        var trimmed = cron.Trim();
        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (!trimmed.StartsWith('@') && fields is not (5 or 6))
        {
            errors.Add(new ValidationError(pointer, ValidationCodes.InvalidValue,
                $"The cron expression has {fields} fields; it needs 5 (minute hour day month weekday) or 6 (second first)."));
            return null;
        }

        try
        {
            return CronExpression.Parse(trimmed, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException exception)
        {
            errors.Add(new ValidationError(pointer, ValidationCodes.InvalidValue, $"The cron expression is not valid: {exception.Message}"));
            return null;
        }
    }

    private static TimeZoneInfo? FindTimeZone(string timeZone, List<ValidationError> errors)
    {
        const string pointer = "/timeZone";
        // .NET also finds Windows ids ("W. Europe Standard Time") on Linux; a schedule takes IANA ids only, so that
        // what is stored means the same on every platform.
        var isWindowsId = !TimeZoneInfo.TryConvertIanaIdToWindowsId(timeZone, out _)
            && TimeZoneInfo.TryConvertWindowsIdToIanaId(timeZone, out _);
        if (timeZone.Length <= MaxTimeZoneLength
            && !isWindowsId
            && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
            && zone.HasIanaId)
        {
            return zone;
        }

        var suggestion = isWindowsId && TimeZoneInfo.TryConvertWindowsIdToIanaId(timeZone, out var iana) ? $" ({iana} here)" : "";
        errors.Add(new ValidationError(pointer, ValidationCodes.InvalidValue,
            $"'{Shorten(timeZone)}' is not an IANA time zone{suggestion}; use a name such as Europe/Berlin, America/New_York or UTC."));
        return null;
    }

    private static string Shorten(string value) => value.Length <= MaxTimeZoneLength ? value : value[..MaxTimeZoneLength] + "…";
}
