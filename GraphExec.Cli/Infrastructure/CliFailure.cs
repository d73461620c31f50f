using GraphExec.Contracts;

namespace GraphExec.Cli.Infrastructure;

/// <summary>
/// Why a command stopped, in words for a person, with the exit code that says the same to a script. Thrown by a command
/// and written by <see cref="CliCommands"/>: a command never writes its own error and exits.
/// </summary>
public sealed class CliFailure(int exitCode, string message, IReadOnlyList<ValidationIssue>? issues = null, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The located problems of a refused request or an invalid graph.</summary>
    public IReadOnlyList<ValidationIssue> Issues { get; } = issues ?? [];

    public static CliFailure Usage(string message) => new(ExitCodes.Usage, message);

    public static CliFailure NotSignedIn() => new(ExitCodes.Unauthorized,
        "Not signed in: run 'graphexec login --url <api url> --token gxp_...', or set GRAPHEXEC_URL and GRAPHEXEC_TOKEN.");

    /// <summary>An Api answer that was not a success, by its status: see <see cref="ExitCodes"/>.</summary>
    public static CliFailure From(ApiProblem problem) => problem.Status switch
    {
        null => new(ExitCodes.Unavailable, problem.Message, problem.Issues, problem),
        401 => new(ExitCodes.Unauthorized,
            "The Api did not accept the token (unknown, expired or revoked): sign in again with 'graphexec login'.", problem.Issues, problem),
        403 => new(ExitCodes.Unauthorized, problem.Message, problem.Issues, problem),
        404 => new(ExitCodes.NotFound, problem.Message, problem.Issues, problem),
        429 or >= 500 => new(ExitCodes.Unavailable, problem.Message, problem.Issues, problem),
        _ => new(ExitCodes.Failed, problem.Message, problem.Issues, problem),
    };
}
