using System.Text.Json;

namespace GraphExec.Engine.Blocks;

/// <summary>What the catalogue tells the API and the UI about a block.</summary>
public sealed record BlockDescriptor
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Inputs every node of this block has.</summary>
    public IReadOnlyList<PortDescriptor> Inputs { get; init; } = [];

    /// <summary>How the config adds further inputs (a template's variables), or null when it adds none.</summary>
    public string? ConfigInputs { get; init; }

    /// <summary>Outputs every node of this block has.</summary>
    public IReadOnlyList<PortDescriptor> Outputs { get; init; } = [];

    /// <summary>How the config adds further outputs (a switch's cases), or null when it adds none.</summary>
    public string? ConfigOutputs { get; init; }

    public JoinPolicy Join { get; init; } = JoinPolicy.All;

    /// <summary>A JSON Schema (draft 2020-12 subset, see <see cref="Schema.ConfigSchema"/>) for the node's config.</summary>
    public required JsonElement ConfigSchema { get; init; }

    public required IReadOnlyList<BlockExample> Examples { get; init; }
}

/// <summary>A config that shows one use of a block.</summary>
public sealed record BlockExample(string Description, JsonElement Config);
