using System.CommandLine;
using GraphExec.Cli.Features.Auth;
using GraphExec.Cli.Features.Executions;
using GraphExec.Cli.Features.Graphs;
using GraphExec.Cli.Features.Runs;
using GraphExec.Cli.Features.Schedules;
using GraphExec.Cli.Features.Webhooks;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli;

/// <summary>The <c>graphexec</c> command line: every command, and the exit code of a command line that does not parse.</summary>
public static class CliApp
{
    /// <summary>Runs one command line to its exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, CliConsole console, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var parse = Build(console, environment).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await console.Error.WriteLineAsync("See 'graphexec --help'.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken);
    }

    public static RootCommand Build(CliConsole console, CliEnvironment environment)
    {
        var commands = new CliCommands(console, environment);
        var root = new RootCommand("GraphExec from the command line: keep graphs in git, run them, watch them.")
        {
            AuthCommands.Login(commands),
            AuthCommands.Logout(commands),
            AuthCommands.Whoami(commands),
            PushCommand.Create(commands),
            PullCommand.Create(commands),
            ValidateCommand.Create(commands),
            RunCommand.Create(commands),
            ExecutionsCommands.Create(commands),
            WebhooksCommands.Create(commands),
            SchedulesCommands.Create(commands),
        };
        root.Add(commands.Json);
        return root;
    }
}
