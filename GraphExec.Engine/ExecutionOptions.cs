namespace GraphExec.Engine;

/// <summary>Limits the engine applies to every run.</summary>
public sealed record ExecutionOptions
{
    public const int DefaultMaxValueBytes = 1024 * 1024;

    /// <summary>
    /// How many nodes may be waiting on I/O (http, delay, child graphs) at once. Nodes that complete
    /// synchronously run inline between them, one at a time, which is faster than any hand-off.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How long a whole run may take, or null for no limit. A child graph shares its parent's deadline.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Largest value (JSON text, in bytes) a node may fire or a graph input may carry. A host that keeps large values
    /// outside its database raises it to what it can store (the Worker: <c>Blobs:MaxValueBytes</c>, 64 MiB).
    /// </summary>
    public long MaxValueBytes { get; init; } = DefaultMaxValueBytes;

    /// <summary>How deep subgraphs and foreach may nest, so that a graph calling itself ends with an error.</summary>
    public int MaxGraphDepth { get; init; } = 8;

    /// <summary>Node runs (every attempt) one execution may make in all, its child graphs' included.</summary>
    public long MaxNodeRuns { get; init; } = 100_000;

    /// <summary>Child graph runs (subgraph calls and foreach items, at any depth) one execution may start in all.</summary>
    public long MaxChildRuns { get; init; } = 10_000;

    /// <summary>
    /// Bytes of values (as JSON) the nodes of one execution may fire in all, its child graphs' included. The value limit
    /// holds each value alone; without this a graph firing many values just under it could still fill the memory.
    /// Values passed on unchanged from an input are not counted: they take no more memory.
    /// </summary>
    public long MaxBytesProduced { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// Child graph runs one execution may have running at once, at any depth. A foreach of 64 whose items each run a
    /// foreach of 64 runs 4,096 graphs at once, each holding its values; going over fails the node rather than waiting,
    /// since a child run keeps its place while its own children run, and waiting for places could deadlock.
    /// </summary>
    public int MaxChildRunsInFlight { get; init; } = 1_024;

    /// <summary>
    /// Node spans one sampled execution records in all, its child graphs' included (see <see cref="ExecutionTracing"/>): a
    /// foreach over thousands of items would otherwise make a trace too large to read or export.
    /// </summary>
    public int MaxNodeSpans { get; init; } = 1_000;

    /// <summary>Source of retry jitter, a number in [0, 1); tests replace it to make delays exact.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;
}
