using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GraphExec.Api.Features.Executions;

/// <summary>Serializes linked columns without reflection.</summary>
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class ValueLinksJsonContext : JsonSerializerContext;
