using System.Text.Json;
using System.Text.Json.Serialization;
using GraphExec.Engine.Blocks.Http;
using GraphExec.Engine.Blocks.Library;

namespace GraphExec.Engine.Blocks;

/// <summary>Binds block configs to their records without reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InputConfig))]
[JsonSerializable(typeof(OutputConfig))]
[JsonSerializable(typeof(ConstantConfig))]
[JsonSerializable(typeof(TemplateConfig))]
[JsonSerializable(typeof(ExpressionConfig))]
[JsonSerializable(typeof(JsonConfig))]
[JsonSerializable(typeof(BranchConfig))]
[JsonSerializable(typeof(SwitchConfig))]
[JsonSerializable(typeof(CoalesceConfig))]
[JsonSerializable(typeof(HttpConfig))]
[JsonSerializable(typeof(DelayConfig))]
[JsonSerializable(typeof(FailConfig))]
[JsonSerializable(typeof(ForEachConfig))]
[JsonSerializable(typeof(SubgraphConfig))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class BlockConfigJsonContext : JsonSerializerContext;
