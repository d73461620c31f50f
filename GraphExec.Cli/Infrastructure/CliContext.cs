using System.CommandLine;

namespace GraphExec.Cli.Infrastructure;

/// <summary>What a command runs with: its parsed command line, where it writes, and the environment it reads.</summary>
public sealed class CliContext(ParseResult parse, bool json, CliConsole console, CliEnvironment environment, CancellationToken cancellation)
{
    public ParseResult Parse { get; } = parse;

    /// <summary><c>--json</c>: write the answer as JSON for a script instead of text for a person.</summary>
    public bool Json { get; } = json;

    public TextWriter Out => console.Out;

    public TextWriter Error => console.Error;

    public CliEnvironment Environment { get; } = environment;

    public CancellationToken Cancellation { get; } = cancellation;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);

    /// <summary>The connection of <c>graphexec login</c> or the environment.</summary>
    /// <exception cref="CliFailure">Not signed in.</exception>
    public Connection Connection() => Infrastructure.Connection.Resolve(Environment);

    /// <summary>A client of the Api, signed in.</summary>
    /// <exception cref="CliFailure">Not signed in.</exception>
    public GraphExecApi Api()
    {
        var connection = Connection();
        return new GraphExecApi(connection.ApiUrl, connection.Token);
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON, for <c>--json</c>.</summary>
    public void WriteJson<T>(T value) => Out.WriteLine(JsonText.Format(value));
}
