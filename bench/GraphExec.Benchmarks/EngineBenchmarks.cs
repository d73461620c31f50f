using BenchmarkDotNet.Attributes;
using GraphExec.Engine;

namespace GraphExec.Benchmarks;

/// <summary>
/// The engine's own cost: nodes that do nothing but pass a value on. Each benchmark reports per node
/// (OperationsPerInvoke is the node count), so Mean is the engine overhead per node execution.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const int ChainNodes = 1_000;
    private const int FanNodes = 10_000;

    private readonly GraphEngine _engine = new();
    private readonly ExecutionRequest _request = new() { ExecutionId = Guid.NewGuid() };
    private ExecutionPlan _chain = null!;
    private ExecutionPlan _fan = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _chain = Graphs.Chain(ChainNodes);
        _fan = Graphs.FanOutFanIn(FanNodes);
        foreach (var plan in new[] { _chain, _fan })
        {
            var result = await _engine.RunAsync(plan, _request);
            if (result.Status != ExecutionStatus.Succeeded)
            {
                throw new InvalidOperationException($"{plan.Graph.Name} ended {result.Status}: {result.Error?.Message}");
            }
        }
    }

    [Benchmark(OperationsPerInvoke = ChainNodes, Description = "(a) chain of 1,000 trivial nodes")]
    public Task<ExecutionResult> Chain() => _engine.RunAsync(_chain, _request);

    [Benchmark(OperationsPerInvoke = FanNodes, Description = "(b) fan-out/fan-in of 10,000 trivial nodes")]
    public Task<ExecutionResult> FanOutFanIn() => _engine.RunAsync(_fan, _request);
}
