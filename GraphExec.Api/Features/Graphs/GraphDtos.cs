using System.Text.Json;

namespace GraphExec.Api.Features.Graphs;

/// <summary>A graph with its newest definition.</summary>
public sealed record GraphDto(
    Guid Id, string Name, string? Description, int Version, JsonElement Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A graph in a list: everything but the definition.</summary>
public sealed record GraphSummaryDto(Guid Id, string Name, string? Description, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record GraphVersionSummaryDto(int Version, DateTimeOffset CreatedAt);

public sealed record GraphVersionDto(int Version, JsonElement Definition, DateTimeOffset CreatedAt);
