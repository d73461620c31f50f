using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Blocks.Http;
using GraphExec.Engine.Secrets;
using GraphExec.Engine.Validation;

namespace GraphExec.Engine.Tests.Support;

/// <summary>Compiles and runs graphs written as JSON in tests.</summary>
public static class TestGraphs
{
    public static BlockCatalog Catalog { get; } = BlockCatalog.CreateDefault();

    public static GraphValidator Validator { get; } = new(Catalog);

    public static ExecutionPlan Compile(string json, BlockCatalog? catalog = null)
    {
        var result = (catalog is null ? Validator : new GraphValidator(catalog)).Validate(json);
        Assert.That(result.Errors, Is.Empty, "the test graph should be valid");
        return result.Plan!;
    }

    public static Task<ExecutionResult> RunAsync(
        string json,
        string? inputs = null,
        GraphEngine? engine = null,
        IExecutionObserver? observer = null,
        IGraphResolver? resolver = null,
        BlockCatalog? catalog = null,
        ExecutionLimits? limits = null,
        ISecretSource? secrets = null,
        CancellationToken cancellationToken = default) =>
        (engine ?? new GraphEngine()).RunAsync(
            Compile(json, catalog),
            new ExecutionRequest
            {
                ExecutionId = Guid.NewGuid(), Inputs = Inputs(inputs), Observer = observer, Resolver = resolver, Limits = limits, Secrets = secrets,
            },
            cancellationToken);

    /// <summary>Graph inputs from a JSON object such as <c>{ "who": "world" }</c>.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Inputs(string? json) =>
        json is null
            ? new Dictionary<string, JsonNode?>()
            : JsonNode.Parse(json)!.AsObject().ToDictionary(p => p.Key, p => p.Value?.DeepClone());

    public static BlockCatalog CatalogAllowing(params string[] allowList) =>
        BlockCatalog.CreateDefault(new HttpBlockOptions { AllowList = allowList });

    /// <summary>The node's result, found by id.</summary>
    public static NodeResult Node(this ExecutionResult result, string nodeId) =>
        result.Nodes.Single(node => node.NodeId == nodeId);

    public static string? Text(this JsonNode? value) => value?.ToJsonString();
}
