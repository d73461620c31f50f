using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Features.Runs;

/// <summary>
/// A run's inputs from the command line: an <c>--inputs-file</c> (a JSON object) and <c>--input name=value</c> pairs on
/// top of it. A value that reads as JSON is that JSON (<c>n=3</c> a number, <c>on=true</c> a boolean,
/// <c>list=[1,2]</c> an array); anything else is text (<c>who=Ada</c>), and <c>'who="3"'</c> is the text "3".
/// </summary>
public static class RunInputs
{
    /// <exception cref="CliFailure">A pair without <c>=</c>, or a file that is not a JSON object (exit code 2).</exception>
    public static JsonObject Parse(string? inputsFile, IEnumerable<string> pairs)
    {
        var inputs = inputsFile is null ? [] : ReadFile(inputsFile);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliFailure.Usage($"--input '{pair}' is not name=value.");
            }

            inputs[pair[..equals]] = Value(pair[(equals + 1)..]);
        }

        return inputs;
    }

    private static JsonNode? Value(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private static JsonObject ReadFile(string file)
    {
        if (!File.Exists(file))
        {
            throw CliFailure.Usage($"--inputs-file {file}: no such file.");
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) as JsonObject
                ?? throw CliFailure.Usage($"--inputs-file {file} holds no JSON object of inputs by name.");
        }
        catch (JsonException ex)
        {
            throw CliFailure.Usage($"--inputs-file {file} is not valid JSON: {ex.Message}");
        }
    }
}
