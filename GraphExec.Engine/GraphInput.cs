using System.Text.Json.Nodes;
using GraphExec.Engine.Blocks;

namespace GraphExec.Engine;

/// <summary>An input of a graph (one of its input nodes), so that callers can build a form or check a payload.</summary>
public sealed record GraphInput(string Name, PortType Type, bool Required, JsonNode? Default);
