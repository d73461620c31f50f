using System.CommandLine;
using GraphExec.Cli.Infrastructure;
using GraphExec.Contracts;

namespace GraphExec.Cli.Features.Graphs;

/// <summary><c>graphexec validate &lt;files|folders...&gt;</c>: checks graph files locally, without a server.</summary>
public static class ValidateCommand
{
    public static Command Create(CliCommands commands)
    {
        var paths = new Argument<string[]>("paths") { Description = "Graph files, or folders of them.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Checks graph files with the engine's validator, locally; exit code 1 on a problem.") { paths };
        return commands.Action(command, context =>
        {
            var graphs = GraphFiles.Collect(context.Value(paths)).Select(LocalGraph.Read).ToList();
            if (context.Json)
            {
                context.WriteJson(new
                {
                    files = graphs.Select(graph => new { file = graph.File, name = graph.Name, valid = graph.IsValid, problems = Problems(graph) }),
                });
            }
            else
            {
                foreach (var graph in graphs)
                {
                    WriteResult(context.Out, graph.File, graph.IsValid ? "ok" : "invalid", Problems(graph));
                }
            }

            return Task.FromResult(graphs.All(graph => graph.IsValid) ? ExitCodes.Ok : ExitCodes.Failed);
        });
    }

    /// <summary>A graph's problems as the Api words them: pointer, stable code, message.</summary>
    public static IEnumerable<ValidationIssue> Problems(LocalGraph graph) =>
        graph.Validation.Errors.Select(error => new ValidationIssue(error.Pointer, error.Code, error.Message));

    /// <summary><c>file: result</c>, then each problem on a line of its own at its file and JSON pointer.</summary>
    public static void WriteResult(TextWriter writer, string file, string result, IEnumerable<ValidationIssue> problems)
    {
        writer.WriteLine($"{file}: {result}");
        foreach (var problem in problems)
        {
            writer.WriteLine($"  {file}#{(problem.Pointer.Length == 0 ? "/" : problem.Pointer)}: {problem.Message}"
                + (problem.Code.Length == 0 ? "" : $" ({problem.Code})"));
        }
    }
}
