namespace GraphExec.LiveLatency;

/// <param name="Runs">Live runs timed for the latency, 5 events each.</param>
/// <param name="Connections">Subscribed connections held (capped to what one Live process can hold here).</param>
/// <param name="Parallelism">Connections being opened at once, over all client processes.</param>
/// <param name="LiveSettings">Configuration keys or environment variables for the Live process only, e.g. <c>DOTNET_gcServer=0</c>.</param>
/// <param name="GcDumpDirectory">Where to write a heap dump of Live at the end, with the connections still held.</param>
public sealed record LiveBenchOptions(
    int Runs, int Connections, int Parallelism, IReadOnlyDictionary<string, string> LiveSettings, string? GcDumpDirectory);
