using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using GraphExec.Engine;
using GraphExec.Engine.Secrets;

namespace GraphExec.Benchmarks;

/// <summary>
/// What secrets cost a run: the same three-node graph rendering a greeting, without a secret, and with one read
/// (<c>{{secrets.api}}</c>) so that every value the run fires is searched for it and masked.
/// </summary>
[MemoryDiagnoser]
public class SecretBenchmarks
{
    private const string Graph = """
        {
          "name": "Greeting",
          "nodes": [
            { "id": "who", "block": "input", "config": { "name": "who" } },
            { "id": "greet", "block": "template", "config": { "template": "Hello, {{who}}! Your key is TEMPLATE." } },
            { "id": "out", "block": "output", "config": { "name": "greeting" } }
          ],
          "edges": [ { "from": "who.value", "to": "greet.who" }, { "from": "greet.text", "to": "out.value" } ]
        }
        """;

    private readonly GraphEngine _engine = new();
    private readonly Dictionary<string, JsonNode?> _inputs = new() { ["who"] = "Ada Lovelace" };
    private ExecutionPlan _plain = null!;
    private ExecutionPlan _withSecret = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = Graphs.Compile(Graph.Replace("TEMPLATE", "not shown", StringComparison.Ordinal));
        _withSecret = Graphs.Compile(Graph.Replace("TEMPLATE", "{{secrets.api}}", StringComparison.Ordinal));
    }

    [Benchmark(Baseline = true, Description = "greeting, no secret")]
    public Task<ExecutionResult> Plain() => _engine.RunAsync(_plain, new ExecutionRequest { ExecutionId = Guid.Empty, Inputs = _inputs });

    [Benchmark(Description = "greeting reading and masking one secret")]
    public Task<ExecutionResult> WithSecret() => _engine.RunAsync(
        _withSecret, new ExecutionRequest { ExecutionId = Guid.Empty, Inputs = _inputs, Secrets = OneSecret.Instance });

    private sealed class OneSecret : ISecretSource
    {
        public static OneSecret Instance { get; } = new();

        private static readonly ValueTask<string?> Value = ValueTask.FromResult<string?>("sk-live-0123456789abcdef0123456789abcdef");

        public ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken) => Value;
    }
}
