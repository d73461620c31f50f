using System.Text.Json;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Features.Graphs;

/// <summary>Finds the caller's graphs by id or by exact name, as the commands that take a graph accept either.</summary>
public static class GraphLookup
{
    /// <summary>Every graph of the caller (summaries: no definitions), oldest first.</summary>
    public static async Task<List<JsonElement>> ListAsync(GraphExecApi api, CancellationToken cancellationToken)
    {
        var graphs = new List<JsonElement>();
        await foreach (var graph in api.ListAsync("api/graphs", cancellationToken: cancellationToken))
        {
            graphs.Add(graph);
        }

        // The Api lists newest first by UUIDv7 id; oldest first keeps a pulled folder's file names stable as graphs are added.
        graphs.Reverse();
        return graphs;
    }

    /// <summary>The id of the graph that <paramref name="nameOrId"/> names: a UUID as it is, a name matched exactly.</summary>
    /// <exception cref="CliFailure">No graph has that name (4), or several do (2).</exception>
    public static async Task<Guid> FindIdAsync(GraphExecApi api, string nameOrId, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(nameOrId, out var id))
        {
            return id;
        }

        var matches = new List<Guid>();
        await foreach (var graph in api.ListAsync("api/graphs?search=" + Uri.EscapeDataString(nameOrId), cancellationToken: cancellationToken))
        {
            if (string.Equals(graph.Text("name"), nameOrId, StringComparison.Ordinal))
            {
                matches.Add(graph.GetProperty("id").GetGuid());
            }
        }

        return matches switch
        {
            [var only] => only,
            [] => throw new CliFailure(ExitCodes.NotFound, $"You have no graph named '{nameOrId}'."),
            _ => throw CliFailure.Usage($"{matches.Count} of your graphs are named '{nameOrId}': name one by its id ({string.Join(", ", matches)})."),
        };
    }
}
