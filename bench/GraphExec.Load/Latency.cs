namespace GraphExec.Load;

/// <summary>Percentiles of one latency, in milliseconds, by the nearest-rank method.</summary>
public sealed record Latency(int Count, double P50, double P90, double P99, double Max)
{
    public static Latency Of(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalMilliseconds).Order().ToArray();
        return sorted.Length == 0
            ? new Latency(0, double.NaN, double.NaN, double.NaN, double.NaN)
            : new Latency(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1]);
    }

    private static double Rank(double[] sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Length) - 1, 0, sorted.Length - 1)];

    public override string ToString() =>
        Count == 0 ? "–" : FormattableString.Invariant($"{P50:0.#} / {P90:0.#} / {P99:0.#} / {Max:0.#}");
}
