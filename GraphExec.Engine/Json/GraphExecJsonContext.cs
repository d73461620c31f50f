using System.Text.Json;
using System.Text.Json.Serialization;
using GraphExec.Engine;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Graphs;
using GraphExec.Engine.Validation;

namespace GraphExec.Engine.Json;

/// <summary>
/// Source-generated serialization of every public contract of the engine: the graph format, block
/// descriptors, validation errors, events and results. Services add it to their JSON options
/// (<c>TypeInfoResolverChain.Insert(0, GraphExecJsonContext.Default)</c>) to stay reflection-free.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(GraphDefinition))]
[JsonSerializable(typeof(IReadOnlyList<BlockDescriptor>))]
[JsonSerializable(typeof(IReadOnlyList<ValidationError>))]
[JsonSerializable(typeof(ExecutionEvent))]
[JsonSerializable(typeof(ExecutionResult))]
[JsonSerializable(typeof(NodeResult))]
[JsonSerializable(typeof(IReadOnlyList<GraphInput>))]
public sealed partial class GraphExecJsonContext : JsonSerializerContext;
