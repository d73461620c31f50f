using System.Text.Json;

namespace GraphExec.Web.Api;

// The block catalogue (GET /api/blocks) as the UI reads it: what the block page lists and what the diagram needs to draw
// a node's ports. Members the UI does not show (e.g. the join policy) are left unread.

public sealed record BlockDescriptor(
    string Name,
    string Description,
    IReadOnlyList<PortDescriptor> Inputs,
    string? ConfigInputs,
    IReadOnlyList<PortDescriptor> Outputs,
    string? ConfigOutputs,
    JsonElement ConfigSchema,
    IReadOnlyList<BlockExample> Examples);

/// <param name="Type">The JSON type the port carries, in lower case (<c>any</c>, <c>string</c>, …).</param>
public sealed record PortDescriptor(string Name, string Type, string Description, bool Required);

public sealed record BlockExample(string Description, JsonElement Config);
