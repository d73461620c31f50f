using System.Globalization;

namespace GraphExec.Web.Components.Shared;

/// <summary>Times and durations as a person reads them.</summary>
public static class Formats
{
    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1 => "< 1 ms",
        < 1000 => $"{duration.TotalMilliseconds:0} ms",
        < 60_000 => $"{duration.TotalSeconds:0.0} s",
        < 3_600_000 => $"{(int)duration.TotalMinutes} min {duration.Seconds} s",
        _ => $"{(int)duration.TotalHours} h {duration.Minutes} min",
    };

    public static string Duration(DateTimeOffset? start, DateTimeOffset? end) =>
        start is { } s && end is { } e ? Duration(e - s) : "—";

    public static string Ago(DateTimeOffset time, DateTimeOffset now)
    {
        var age = now - time;
        return age.TotalSeconds switch
        {
            < 5 => "just now",
            < 60 => $"{(int)age.TotalSeconds} s ago",
            < 3600 => $"{(int)age.TotalMinutes} min ago",
            < 86400 => $"{(int)age.TotalHours} h ago",
            _ => time.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>UTC, unambiguous for everyone; the page says so.</summary>
    public static string Utc(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Short(Guid id) => id.ToString()[..8];
}
