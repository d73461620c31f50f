using System.Text.Json;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Graphs;
using GraphExec.Engine.Validation;

namespace GraphExec.Cli.Features.Graphs;

/// <summary>
/// A graph file read and checked as the Api checks a graph it is sent: the engine's validator over the standard block
/// catalogue. What only the server knows (whether a <c>{{secrets.NAME}}</c> credential exists) is checked on push.
/// </summary>
public sealed record LocalGraph(string File, string Text, GraphValidationResult Validation)
{
    private static readonly GraphValidator Validator = new(BlockCatalog.CreateDefault());

    public static LocalGraph Read(string file)
    {
        var bytes = System.IO.File.ReadAllBytes(file);
        return new LocalGraph(file, System.Text.Encoding.UTF8.GetString(bytes), Validator.Validate(bytes));
    }

    public bool IsValid => Validation.IsValid;

    public string? Name => Validation.Graph?.Name;

    /// <summary>
    /// Whether <paramref name="stored"/> (a definition the Api returned) says what this file says: both as the Api
    /// stores a graph, compared as JSON values (property order and formatting aside), so that a file that only moved a
    /// property or changed its indentation is not saved as a new version.
    /// </summary>
    public bool Matches(JsonElement stored)
    {
        if (Validation.Graph is not { } graph)
        {
            return false;
        }

        GraphDefinition storedGraph;
        try
        {
            storedGraph = GraphJson.Deserialize(stored);
        }
        catch (JsonException)
        {
            return false;
        }

        return JsonElement.DeepEquals(JsonElement.Parse(GraphJson.Serialize(graph)), JsonElement.Parse(GraphJson.Serialize(storedGraph)));
    }
}
