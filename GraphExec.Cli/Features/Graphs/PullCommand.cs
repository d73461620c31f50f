using System.CommandLine;
using System.Text.Json;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Features.Graphs;

/// <summary>
/// <c>graphexec pull &lt;folder&gt;</c>: writes each of the caller's graphs as <c>&lt;slug&gt;.json</c>, formatted the same way
/// every time (two-space indent, properties in the Api's order, a final line break), so that a folder kept in git shows
/// only what changed.
/// </summary>
public static class PullCommand
{
    public static Command Create(CliCommands commands)
    {
        var folder = new Argument<string>("folder") { Description = "Where to write the graph files (created if missing)." };
        var command = new Command("pull", "Writes each of your graphs to <folder>/<slug>.json.") { folder };
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            var target = context.Value(folder);
            Directory.CreateDirectory(target);
            var results = new List<PullResult>();
            var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var summary in await GraphLookup.ListAsync(api, context.Cancellation))
            {
                var id = summary.GetProperty("id").GetGuid();
                var graph = await api.GetAsync($"api/graphs/{id}", context.Cancellation);
                var file = Path.Combine(target, FileName(summary.Text("name") ?? "", id, taken));
                var text = Format(graph.GetProperty("definition"));
                var result = File.Exists(file) && await File.ReadAllTextAsync(file, context.Cancellation) == text ? "unchanged" : "written";
                if (result == "written")
                {
                    await File.WriteAllTextAsync(file, text, context.Cancellation);
                }

                results.Add(new PullResult(file, summary.Text("name"), id, graph.GetProperty("version").GetInt32(), result));
            }

            if (context.Json)
            {
                context.WriteJson(new { files = results });
            }
            else
            {
                foreach (var result in results)
                {
                    context.Out.WriteLine($"{result.File}: {result.Result} ({result.Name}, version {result.Version})");
                }

                context.Out.WriteLine($"{results.Count} graphs, {results.Count(r => r.Result == "written")} written");
            }

            return ExitCodes.Ok;
        });
    }

    /// <summary>A definition as a graph file holds it: indented JSON in the Api's property order, ending in a line break.</summary>
    public static string Format(JsonElement definition) => JsonText.Format(definition) + "\n";

    /// <summary>The graph's slug, or the slug and the start of its id when an older graph took the slug already.</summary>
    private static string FileName(string name, Guid id, HashSet<string> taken)
    {
        var slug = GraphFiles.Slug(name);
        var file = taken.Add(slug) ? slug : $"{slug}-{id.ToString("N")[..8]}";
        taken.Add(file);
        return file + ".json";
    }
}

/// <summary>What a pull did with one graph: <c>written</c>, or <c>unchanged</c> when the file already said the same.</summary>
public sealed record PullResult(string File, string? Name, Guid Id, int Version, string Result);
