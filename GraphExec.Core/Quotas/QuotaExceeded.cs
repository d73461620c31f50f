using System.Globalization;

namespace GraphExec.Core.Quotas;

/// <summary>A refusal because of one quota: its name (as <see cref="UserQuotas"/> calls it, in camelCase) and value.</summary>
public sealed record QuotaExceeded(string Quota, string Limit, string Message)
{
    public static QuotaExceeded Count(string quota, long limit, string what) =>
        new(quota, Number(limit), $"You have reached your quota of {Number(limit)} {what}.");

    public static QuotaExceeded Interval(TimeSpan limit) =>
        new(QuotaNames.ScheduleMinimumInterval, limit.ToString("c", CultureInfo.InvariantCulture),
            $"A schedule may fire at most once every {limit.ToString("c", CultureInfo.InvariantCulture)} (your quota).");

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
