namespace GraphExec.Cli.Infrastructure;

/// <summary>What the process answers, so that a CI step can tell a failed run from a typo or an outage.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A run failed (or was cancelled or timed out), a graph is invalid, or the Api refused the request's content.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing argument, a file that does not exist.</summary>
    public const int Usage = 2;

    /// <summary>Not signed in, or the token is unknown, expired, revoked or lacks the scope.</summary>
    public const int Unauthorized = 3;

    /// <summary>The graph, execution, webhook or schedule does not exist (or is not the caller's).</summary>
    public const int NotFound = 4;

    /// <summary>The Api or Live could not be reached, answered 5xx, or asked to slow down (429).</summary>
    public const int Unavailable = 5;
}
