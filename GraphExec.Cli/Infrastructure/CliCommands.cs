using System.CommandLine;

namespace GraphExec.Cli.Infrastructure;

/// <summary>
/// Gives every command the same frame: the <c>--json</c> option, a <see cref="CliContext"/>, and one place that turns a
/// <see cref="CliFailure"/> into its message (text or JSON) and exit code.
/// </summary>
public sealed class CliCommands(CliConsole console, CliEnvironment environment)
{
    /// <summary>On every command: the answer as JSON.</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write the answer as JSON, for scripts.",
        Recursive = true,
    };

    /// <summary>Runs <paramref name="run"/> as the action of <paramref name="command"/>.</summary>
    public Command Action(Command command, Func<CliContext, Task<int>> run)
    {
        command.SetAction(async (parse, cancellation) =>
        {
            var context = new CliContext(parse, parse.GetValue(Json), console, environment, cancellation);
            try
            {
                return await run(context);
            }
            catch (CliFailure failure)
            {
                WriteFailure(context, failure);
                return failure.ExitCode;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A file the command was told to read or write that cannot be: the command line's to fix, as a path is.
                var failure = new CliFailure(ExitCodes.Usage, ex.Message, inner: ex);
                WriteFailure(context, failure);
                return failure.ExitCode;
            }
        });
        return command;
    }

    /// <summary>The failure on standard error: its message and each located problem, or one JSON object with <c>--json</c>.</summary>
    public static void WriteFailure(CliContext context, CliFailure failure)
    {
        if (context.Json)
        {
            context.Error.WriteLine(JsonText.Format(new
            {
                error = new
                {
                    exitCode = failure.ExitCode,
                    message = failure.Message,
                    issues = failure.Issues.Select(issue => new { pointer = issue.Pointer, code = issue.Code, message = issue.Message }),
                },
            }));
            return;
        }

        context.Error.WriteLine($"error: {failure.Message}");
        foreach (var issue in failure.Issues)
        {
            context.Error.WriteLine($"  {(issue.Pointer.Length == 0 ? "/" : issue.Pointer)}: {issue.Message}");
        }
    }
}
