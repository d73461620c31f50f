using System.CommandLine;
using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Contracts;

namespace GraphExec.Cli.Features.Graphs;

/// <summary>
/// <c>graphexec push &lt;folders|files...&gt;</c>: saves graph files to the Api, matching each to the caller's graph of the
/// same <c>name</c>. A file whose definition equals the stored one is left alone, so that pushing a folder again makes no
/// new versions.
/// </summary>
public static class PushCommand
{
    public static Command Create(CliCommands commands)
    {
        var paths = new Argument<string[]>("paths") { Description = "Graph files, or folders of them.", Arity = ArgumentArity.OneOrMore };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be created or updated, and change nothing." };
        var command = new Command("push", "Creates or updates your graphs from files, matched by name; unchanged graphs are not saved again.")
        {
            paths, dryRun,
        };
        return commands.Action(command, async context =>
        {
            var graphs = GraphFiles.Collect(context.Value(paths)).Select(LocalGraph.Read).ToList();
            using var api = context.Api();
            var stored = (await GraphLookup.ListAsync(api, context.Cancellation)).ToLookup(graph => graph.Text("name"), StringComparer.Ordinal);
            var results = new List<PushResult>();
            foreach (var graph in graphs)
            {
                results.Add(await PushAsync(api, graph, stored, graphs, context.Value(dryRun), context.Cancellation));
            }

            Write(context, results, context.Value(dryRun));
            return results.Any(result => result.Result == PushResult.Invalid) ? ExitCodes.Failed : ExitCodes.Ok;
        });
    }

    private static async Task<PushResult> PushAsync(
        GraphExecApi api, LocalGraph graph, ILookup<string?, JsonElement> stored, List<LocalGraph> pushed, bool dryRun, CancellationToken cancellationToken)
    {
        if (!graph.IsValid)
        {
            return PushResult.Refused(graph, null, [.. ValidateCommand.Problems(graph)]);
        }

        var name = graph.Name!;
        if (pushed.Count(other => other.Name == name) > 1)
        {
            return PushResult.Refused(graph, null,
                [new ValidationIssue("/name", "", $"Another file of this push names its graph '{name}' too: names match files to graphs.")]);
        }

        var existing = stored[name].ToList();
        if (existing.Count > 1)
        {
            return PushResult.Refused(graph, null,
                [new ValidationIssue("/name", "", $"{existing.Count} of your graphs are named '{name}'; rename or delete all but one.")]);
        }

        try
        {
            if (existing is not [var summary])
            {
                var created = dryRun ? default : await api.SendDocumentAsync(HttpMethod.Post, "api/graphs", graph.Text, cancellationToken);
                return new PushResult(graph.File, name, dryRun ? null : created.GetProperty("id").GetGuid(), PushResult.Created,
                    dryRun ? null : created.GetProperty("version").GetInt32(), []);
            }

            var id = summary.GetProperty("id").GetGuid();
            var current = await api.GetAsync($"api/graphs/{id}", cancellationToken);
            if (graph.Matches(current.GetProperty("definition")))
            {
                return new PushResult(graph.File, name, id, PushResult.Unchanged, current.GetProperty("version").GetInt32(), []);
            }

            var updated = dryRun ? current : await api.SendDocumentAsync(HttpMethod.Put, $"api/graphs/{id}", graph.Text, cancellationToken);
            return new PushResult(graph.File, name, id, PushResult.Updated, dryRun ? null : updated.GetProperty("version").GetInt32(), []);
        }
        catch (CliFailure failure) when (failure.ExitCode == ExitCodes.Failed)
        {
            // The Api refused the graph (a credential it names does not exist, a quota): that file fails, the others go on.
            return PushResult.Refused(graph, existing.Count == 1 ? existing[0].GetProperty("id").GetGuid() : null,
                failure.Issues.Count > 0 ? failure.Issues : [new ValidationIssue("", "", failure.Message)]);
        }
    }

    private static void Write(CliContext context, List<PushResult> results, bool dryRun)
    {
        if (context.Json)
        {
            context.WriteJson(new { dryRun, files = results });
            return;
        }

        foreach (var result in results)
        {
            var outcome = result.Result switch
            {
                PushResult.Created or PushResult.Updated when dryRun => $"would be {result.Result} ({result.Name})",
                PushResult.Created or PushResult.Updated => $"{result.Result} ({result.Name}, version {result.Version})",
                PushResult.Unchanged => $"unchanged ({result.Name}, version {result.Version})",
                _ => "invalid",
            };
            ValidateCommand.WriteResult(context.Out, result.File, outcome, result.Problems);
        }

        context.Out.WriteLine(string.Join(", ", results.GroupBy(result => result.Result).Select(group => $"{group.Count()} {group.Key}")));
    }
}

/// <summary>What a push did with one file.</summary>
/// <param name="Result"><c>created</c>, <c>updated</c>, <c>unchanged</c> or <c>invalid</c>.</param>
/// <param name="Version">The graph's version after the push; null on a dry run's create or update.</param>
public sealed record PushResult(string File, string? Name, Guid? Id, string Result, int? Version, IReadOnlyList<ValidationIssue> Problems)
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Invalid = "invalid";

    public static PushResult Refused(LocalGraph graph, Guid? id, IReadOnlyList<ValidationIssue> problems) =>
        new(graph.File, graph.Name, id, Invalid, null, problems);
}
