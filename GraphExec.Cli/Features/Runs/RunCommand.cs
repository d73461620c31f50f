using System.CommandLine;
using System.Text.Json;
using GraphExec.Cli.Features.Graphs;
using GraphExec.Cli.Infrastructure;
using GraphExec.Contracts;

namespace GraphExec.Cli.Features.Runs;

/// <summary>
/// <c>graphexec run &lt;graph&gt;</c>: starts a manual run of the graph's newest version and, with <c>--watch</c>, follows it
/// node by node to its end; the exit code then says whether it succeeded.
/// </summary>
public static class RunCommand
{
    public static Command Create(CliCommands commands)
    {
        var graph = new Argument<string>("graph") { Description = "The graph's name or id." };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "An input as name=value (value as JSON, else text); repeat for more.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var inputsFile = new Option<string>("--inputs-file") { Description = "A JSON object of inputs by name; --input values go on top." };
        var command = new Command("run", "Runs a graph; with --watch, prints each node's progress and the outputs.")
        {
            graph, inputs, inputsFile,
        };
        var watch = AddWatchOptions(command);
        return commands.Action(command, async context =>
        {
            var body = RunInputs.Parse(context.Value(inputsFile), context.Value(inputs) ?? []);
            using var api = context.Api();
            var graphId = await GraphLookup.FindIdAsync(api, context.Value(graph), context.Cancellation);
            var accepted = await api.PostAsync(
                $"api/graphs/{graphId}/executions", new { inputs = body, live = context.Value(watch.Watch) }, context.Cancellation);
            return await FollowAsync(context, api, accepted, watch);
        });
    }

    /// <summary>Adds <c>--watch</c> and <c>--live-url</c> to a command that starts a run.</summary>
    public static WatchOptions AddWatchOptions(Command command)
    {
        var options = new WatchOptions(
            new Option<bool>("--watch", "-w") { Description = "Follow the run to its end; exit code 1 unless it succeeds." },
            new Option<string>("--live-url") { Description = $"The Live service's address (else {CliEnvironment.LiveUrlVariable} or the config)." });
        command.Add(options.Watch);
        command.Add(options.LiveUrl);
        return options;
    }

    /// <summary>
    /// After a run was accepted (<c>{ executionId, status }</c>): without <c>--watch</c> says so; with it follows the
    /// execution and prints its events and its outputs.
    /// </summary>
    public static async Task<int> FollowAsync(CliContext context, GraphExecApi api, JsonElement accepted, WatchOptions options)
    {
        var executionId = accepted.GetProperty("executionId").GetGuid();
        if (!context.Value(options.Watch))
        {
            if (context.Json)
            {
                context.WriteJson(accepted);
            }
            else
            {
                context.Out.WriteLine($"Started execution {executionId} ({accepted.Text("status")}).");
            }

            return ExitCodes.Ok;
        }

        var connection = context.Connection();
        if (context.Value(options.LiveUrl) is { } liveUrl)
        {
            connection = connection with { LiveUrl = Connection.ParseUrl(liveUrl, "--live-url") };
        }

        if (!context.Json)
        {
            context.Out.WriteLine($"Execution {executionId}");
        }

        var watcher = new ExecutionWatcher(api, connection, executionEvent => WriteEventAsync(context, executionEvent), context.Error);
        var execution = await watcher.WatchAsync(executionId, context.Cancellation);
        if (context.Json)
        {
            await context.Out.WriteLineAsync(JsonText.Line(execution));
        }
        else
        {
            context.Out.WriteLine($"{execution.Text("status")}");
            if (execution.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                context.Out.WriteLine($"error: {ExecutionText.ErrorText(error)}");
            }

            ExecutionText.WriteOutputs(context.Out, execution);
        }

        return ExecutionText.ExitCode(execution);
    }

    /// <summary>An event as a line of text, or with <c>--json</c> as one JSON object a line.</summary>
    private static Task WriteEventAsync(CliContext context, ExecutionEvent executionEvent) =>
        context.Out.WriteLineAsync(context.Json
            ? JsonSerializer.Serialize(executionEvent, JsonText.Compact)
            : ExecutionText.Line(executionEvent));
}

/// <summary>The options of a command that can follow the run it starts.</summary>
public sealed record WatchOptions(Option<bool> Watch, Option<string> LiveUrl);
