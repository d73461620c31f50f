using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using BenchmarkDotNet.Attributes;
using GraphExec.Core.Executions;
using GraphExec.Core.Values;
using Microsoft.Extensions.Options;

namespace GraphExec.Benchmarks;

/// <summary>
/// What keeping large values in blob storage costs a run without the network: the values of a typical small execution
/// (a greeting's node outputs), stored as before and through the offload check, and one 1 MiB value (serialized, hashed
/// and previewed; the upload is left out).
/// </summary>
[MemoryDiagnoser]
public class ValueOffloadBenchmarks
{
    private static readonly ValueLimits Limits = ValueLimits.From(new BlobOptions());

    private readonly Dictionary<string, JsonNode?> _small = new()
    {
        ["greeting"] = "Hello, Ada Lovelace!",
        ["count"] = 3,
        ["tags"] = new JsonArray("a", "b", "c"),
    };

    private readonly Dictionary<string, JsonNode?> _large = new() { ["text"] = new string('x', 1024 * 1024) };

    /// <summary>A store whose container is never reached: nothing small is written.</summary>
    private readonly ExecutionBlobStore _blobs = new(
        new BlobContainerClient(new Uri("http://127.0.0.1:9/unreached")), Options.Create(new BlobOptions()), Task.CompletedTask);

    [Benchmark(Baseline = true, Description = "small values, stored as before (JsonText.Object)")]
    public string SmallAsBefore() => JsonText.Object(_small);

    [Benchmark(Description = "small values, offload check and JSON (ValueOffload.Object)")]
    public OffloadedObject SmallOffloaded() => ValueOffload.Object(_small, Limits);

    /// <summary>A run's values made (once per run in the Worker) and one store through them.</summary>
    [Benchmark(Description = "small values, through the run's ExecutionValues")]
    public Task<StoredObject> SmallThroughExecutionValues() =>
        _blobs.For(new ExecutionKey(Guid.Empty, Guid.Empty)).StoreAsync(_small, CancellationToken.None);

    [Benchmark(Description = "small values, live event check (AreSmall)")]
    public bool SmallLiveCheck() => ValueOffload.AreSmall(_small, Limits);

    [Benchmark(Description = "one 1 MiB value, serialized, hashed and referenced")]
    public OffloadedObject OneMebibyte() => ValueOffload.Object(_large, Limits);
}
