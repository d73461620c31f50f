using System.CommandLine;
using System.Text.Json;
using GraphExec.Cli.Features.Graphs;
using GraphExec.Cli.Features.Runs;
using GraphExec.Cli.Infrastructure;
using GraphExec.Engine;

namespace GraphExec.Cli.Features.Executions;

/// <summary><c>graphexec executions list|show|retry|rerun|cancel</c>.</summary>
public static class ExecutionsCommands
{
    public static Command Create(CliCommands commands) => new("executions", "Lists, shows, retries, reruns and cancels executions.")
    {
        List(commands), Show(commands), Retry(commands), Rerun(commands), Cancel(commands),
    };

    private static Command List(CliCommands commands)
    {
        var graph = new Option<string>("--graph") { Description = "Only this graph's executions (name or id)." };
        var status = new Option<ExecutionStatus?>("--status") { Description = "Only executions in this status." };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "Lists your executions, newest first.") { graph, status, limit };
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            var query = new List<string>();
            if (context.Value(graph) is { } nameOrId)
            {
                query.Add("graphId=" + await GraphLookup.FindIdAsync(api, nameOrId, context.Cancellation));
            }

            if (context.Value(status) is { } wanted)
            {
                query.Add("status=" + wanted);
            }

            if (context.Value(limit) < 1)
            {
                throw CliFailure.Usage("--limit is at least 1.");
            }

            var executions = new List<JsonElement>();
            await foreach (var execution in api.ListAsync("api/executions" + (query.Count == 0 ? "" : "?" + string.Join('&', query)),
                context.Value(limit), context.Cancellation))
            {
                executions.Add(execution);
            }

            if (context.Json)
            {
                context.WriteJson(new { items = executions });
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "GRAPH", "VERSION", "TRIGGER", "STATUS", "QUEUED", "FINISHED");
            foreach (var execution in executions)
            {
                table.Add(execution.Show("id"), execution.Show("graphId"), execution.Show("graphVersion"), execution.Show("trigger"),
                    execution.Show("status"), execution.Show("queuedAt"), execution.Show("finishedAt"));
            }

            table.Write(context.Out);
            return ExitCodes.Ok;
        });
    }

    private static Command Show(CliCommands commands)
    {
        var id = IdArgument();
        var command = new Command("show", "Shows an execution, its nodes and its outputs.") { id };
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            var execution = await api.GetAsync($"api/executions/{context.Value(id)}", context.Cancellation);
            if (context.Json)
            {
                context.WriteJson(execution);
            }
            else
            {
                ExecutionText.Write(context.Out, execution);
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Retry(CliCommands commands) => StartAgain(commands, "retry",
        "Runs a failed execution again from the node that failed, reusing the results of the nodes that completed.");

    private static Command Rerun(CliCommands commands) => StartAgain(commands, "rerun",
        "Runs an execution's graph again with the same inputs, as a new execution.");

    /// <summary><c>retry</c> and <c>rerun</c>: both answer 202 with the execution to follow.</summary>
    private static Command StartAgain(CliCommands commands, string name, string description)
    {
        var id = IdArgument();
        var command = new Command(name, description) { id };
        var watch = RunCommand.AddWatchOptions(command);
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            var accepted = await api.PostAsync(
                $"api/executions/{context.Value(id)}/{name}", new { live = context.Value(watch.Watch) }, context.Cancellation);
            return await RunCommand.FollowAsync(context, api, accepted, watch);
        });
    }

    private static Command Cancel(CliCommands commands)
    {
        var id = IdArgument();
        var command = new Command("cancel", "Cancels a queued or running execution.") { id };
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            var answer = await api.PostAsync($"api/executions/{context.Value(id)}/cancel", null, context.Cancellation);
            if (context.Json)
            {
                context.WriteJson(answer);
            }
            else
            {
                context.Out.WriteLine($"Execution {answer.Show("executionId")}: {answer.Show("status")}.");
            }

            return ExitCodes.Ok;
        });
    }

    private static Argument<Guid> IdArgument() => new("id") { Description = "The execution's id." };
}
