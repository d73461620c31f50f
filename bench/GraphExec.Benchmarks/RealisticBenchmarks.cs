using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using GraphExec.Engine;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Graphs;

namespace GraphExec.Benchmarks;

/// <summary>
/// (c) a 20-node graph of templates, expressions and JSON edits run by the engine, against (d) the
/// same bound blocks called one after another in topological order, wired by hand: the cost of the
/// blocks alone, which the engine cannot beat. Both report per node.
/// </summary>
[MemoryDiagnoser]
public class RealisticBenchmarks
{
    private const int Nodes = 20;

    internal const string Graph = """
        {
          "name": "Order confirmation",
          "nodes": [
            { "id": "order",      "block": "input",      "config": { "name": "order", "type": "object" } },
            { "id": "rate",       "block": "input",      "config": { "name": "rate", "default": 0.19 } },
            { "id": "customer",   "block": "json",       "config": { "operation": "get", "path": "customer" } },
            { "id": "firstSku",   "block": "json",       "config": { "operation": "get", "path": "items.0.sku", "default": "none" } },
            { "id": "total",      "block": "expression", "config": { "expression": "[order.subtotal] * (1 + rate)" } },
            { "id": "rounded",    "block": "expression", "config": { "expression": "Round(total, 2)" } },
            { "id": "isBig",      "block": "branch",     "config": { "condition": "value > 100" } },
            { "id": "bigLabel",   "block": "template",   "config": { "template": "a large order of {{amount}} EUR" } },
            { "id": "smallLabel", "block": "template",   "config": { "template": "an order of {{amount}} EUR" } },
            { "id": "label",      "block": "coalesce",   "config": { "inputs": ["big", "small"] } },
            { "id": "greeting",   "block": "template",   "config": { "template": "Dear {{c.name}}, thank you for {{label}}." } },
            { "id": "items",      "block": "expression", "config": { "expression": "[order.count] + 1" } },
            { "id": "summary",    "block": "json",       "config": { "operation": "set", "path": "summary" } },
            { "id": "withTotal",  "block": "json",       "config": { "operation": "set", "path": "total" } },
            { "id": "extra",      "block": "constant",   "config": { "value": { "source": "web", "flags": { "fast": true } } } },
            { "id": "merged",     "block": "json",       "config": { "operation": "merge" } },
            { "id": "withItems",  "block": "json",       "config": { "operation": "set", "path": "itemCount" } },
            { "id": "subject",    "block": "template",   "config": { "template": "Order {{o.id}}: {{sku}}" } },
            { "id": "document",   "block": "output",     "config": { "name": "document" } },
            { "id": "mail",       "block": "output",     "config": { "name": "subject" } }
          ],
          "edges": [
            { "from": "order.value",      "to": "customer.object" },
            { "from": "order.value",      "to": "firstSku.object" },
            { "from": "order.value",      "to": "total.order" },
            { "from": "rate.value",       "to": "total.rate" },
            { "from": "total.result",     "to": "rounded.total" },
            { "from": "rounded.result",   "to": "isBig.value" },
            { "from": "isBig.true",       "to": "bigLabel.amount" },
            { "from": "isBig.false",      "to": "smallLabel.amount" },
            { "from": "bigLabel.text",    "to": "label.big" },
            { "from": "smallLabel.text",  "to": "label.small" },
            { "from": "customer.result",  "to": "greeting.c" },
            { "from": "label.value",      "to": "greeting.label" },
            { "from": "order.value",      "to": "items.order" },
            { "from": "order.value",      "to": "summary.object" },
            { "from": "greeting.text",    "to": "summary.value" },
            { "from": "summary.result",   "to": "withTotal.object" },
            { "from": "rounded.result",   "to": "withTotal.value" },
            { "from": "withTotal.result", "to": "merged.object" },
            { "from": "extra.value",      "to": "merged.value" },
            { "from": "merged.result",    "to": "withItems.object" },
            { "from": "items.result",     "to": "withItems.value" },
            { "from": "order.value",      "to": "subject.o" },
            { "from": "firstSku.result",  "to": "subject.sku" },
            { "from": "withItems.result", "to": "document.value" },
            { "from": "subject.text",     "to": "mail.value" }
          ]
        }
        """;

    private const string Order = """
        { "id": "A-1001", "subtotal": 120.5, "count": 2,
          "customer": { "name": "Ada Lovelace", "email": "ada@example.com" },
          "items": [{ "sku": "BOOK-42", "qty": 1 }, { "sku": "PEN-7", "qty": 1 }] }
        """;

    private readonly GraphEngine _engine = new();
    private ExecutionPlan _plan = null!;
    private ExecutionRequest _request = null!;
    private Step[] _steps = null!;
    private BlockInvocation _document = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _plan = Graphs.Compile(Graph);
        var inputs = new Dictionary<string, JsonNode?> { ["order"] = JsonNode.Parse(Order) };
        _request = new ExecutionRequest { ExecutionId = Guid.NewGuid(), Inputs = inputs };
        _steps = Wire(_plan.Graph, inputs);
        _document = _steps[_plan.Graph.Nodes.ToList().FindIndex(node => node.Id == "withItems")].Node;

        // Both ways must compute the same document, or the comparison means nothing.
        var byEngine = await Engine();
        var direct = await Direct();
        if (byEngine.Status != ExecutionStatus.Succeeded || !JsonNode.DeepEquals(byEngine.Outputs["document"], direct))
        {
            throw new InvalidOperationException($"The engine gave {byEngine.Outputs.GetValueOrDefault("document")?.ToJsonString()}, direct calls {direct?.ToJsonString()}.");
        }
    }

    [Benchmark(OperationsPerInvoke = Nodes, Description = "(c) 20-node template/expression/json graph, engine")]
    public Task<ExecutionResult> Engine() => _engine.RunAsync(_plan, _request);

    [Benchmark(OperationsPerInvoke = Nodes, Baseline = true, Description = "(d) the same blocks called directly")]
    public async Task<JsonNode?> Direct()
    {
        foreach (var step in _steps)
        {
            var fired = 0;
            for (var port = 0; port < step.Inputs.Length; port++)
            {
                var (source, output) = step.Inputs[port];
                if (source.HasOutput(output))
                {
                    step.Node.SetInput(port, source.GetOutput(output));
                    fired++;
                }
            }

            // A branch not taken: skip, as the engine would.
            if (fired == 0 ? step.Inputs.Length > 0 : !step.AnyInput && fired < step.Inputs.Length)
            {
                step.Node.ClearOutputs();
                continue;
            }

            await step.Node.ExecuteAsync();
        }

        return _document.GetOutput(0);
    }

    /// <summary>Binds every node of the graph and resolves each input to the output feeding it.</summary>
    private static Step[] Wire(GraphDefinition graph, Dictionary<string, JsonNode?> inputs)
    {
        var bound = new Dictionary<string, (BlockNode Node, BlockInvocation Invocation)>();
        foreach (var node in graph.Nodes)
        {
            Graphs.Catalog.TryGetBlock(node.Block, out var block);
            var blockNode = block!.Bind(node.Config ?? JsonElement.Parse("{}"), new List<ConfigError>())!;
            bound[node.Id] = (blockNode, new BlockInvocation(blockNode, inputs));
        }

        return [.. graph.Nodes.Select(node =>
        {
            var (blockNode, invocation) = bound[node.Id];
            var wiring = blockNode.Inputs.Select(input =>
            {
                var edge = graph.Edges.Single(e => e.To == $"{node.Id}.{input.Name}");
                PortAddress.TryParse(edge.From, out var from);
                var source = bound[from!.Value.NodeId];
                return (source.Invocation, source.Node.Outputs.Select(p => p.Name).ToList().IndexOf(from.Value.Port));
            }).ToArray();
            return new Step(invocation, wiring, blockNode.Join == JoinPolicy.Any);
        })];
    }

    private sealed record Step(BlockInvocation Node, (BlockInvocation Source, int Port)[] Inputs, bool AnyInput);
}
