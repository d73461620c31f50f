using System.Globalization;
using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Contracts;
using ExecutionStatus = GraphExec.Engine.ExecutionStatus;

namespace GraphExec.Cli.Features.Runs;

/// <summary>Executions and their live events as text for a person.</summary>
public static class ExecutionText
{
    /// <summary>Whether the execution (as the Api answers it) has ended, whichever way.</summary>
    public static bool HasEnded(JsonElement execution) =>
        Status(execution) is not (ExecutionStatus.Queued or ExecutionStatus.Running);

    public static ExecutionStatus? Status(JsonElement execution) =>
        Enum.TryParse<ExecutionStatus>(execution.Text("status"), out var status) ? status : null;

    /// <summary>0 for a run that succeeded, 1 for one that failed, was cancelled or timed out.</summary>
    public static int ExitCode(JsonElement execution) => Status(execution) == ExecutionStatus.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;

    /// <summary>One line per event: time, what happened, the node, and its outputs or error.</summary>
    public static string Line(ExecutionEvent executionEvent)
    {
        var detail = executionEvent.Type switch
        {
            ExecutionEventType.NodeCompleted when executionEvent.Outputs is { } outputs => JsonText.Line(outputs),
            ExecutionEventType.NodeFailed when executionEvent.Error is { } error => ErrorText(error),
            ExecutionEventType.ExecutionCompleted => executionEvent.Status
                + (executionEvent.Error is { } error ? ": " + ErrorText(error) : ""),
            _ => "",
        };
        var time = executionEvent.Timestamp.ToUniversalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return $"{time}  {executionEvent.Type,-18}  {executionEvent.NodeId ?? "",-20}  {detail}".TrimEnd();
    }

    /// <summary>The execution, its nodes in a table and its outputs.</summary>
    public static void Write(TextWriter writer, JsonElement execution)
    {
        new Table("FIELD", "VALUE")
            .Add("id", execution.Show("id"))
            .Add("graph", $"{execution.Show("graphId")} (version {execution.Show("graphVersion")})")
            .Add("trigger", execution.Show("trigger") + (execution.Show("retryOf") is { } retryOf ? $" (retry of {retryOf})" : ""))
            .Add("status", execution.Show("status"))
            .Add("queued", execution.Show("queuedAt"))
            .Add("started", execution.Show("startedAt"))
            .Add("finished", execution.Show("finishedAt"))
            .Write(writer);
        if (execution.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            writer.WriteLine($"error: {ErrorText(error)}");
        }

        if (execution.TryGetProperty("nodes", out var nodes) && nodes.GetArrayLength() > 0)
        {
            writer.WriteLine();
            var table = new Table("NODE", "STATUS", "ATTEMPTS", "RESULT");
            foreach (var node in nodes.EnumerateArray())
            {
                var result = node.TryGetProperty("error", out var nodeError) && nodeError.ValueKind == JsonValueKind.Object
                    ? ErrorText(nodeError)
                    : node.Show("outputs");
                table.Add(node.Show("nodeId"), node.Show("status"), node.Show("attempts"), result);
            }

            table.Write(writer);
        }

        WriteOutputs(writer, execution);
    }

    /// <summary>The execution's outputs, one <c>name = value</c> a line.</summary>
    public static void WriteOutputs(TextWriter writer, JsonElement execution)
    {
        if (execution.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Object)
        {
            writer.WriteLine();
            writer.WriteLine("outputs:");
            foreach (var output in outputs.EnumerateObject())
            {
                writer.WriteLine($"  {output.Name} = {JsonText.Line(output.Value)}");
            }
        }
    }

    /// <summary>An error object's message, with its code and node when it names them.</summary>
    public static string ErrorText(JsonElement error) =>
        (error.Text("message") ?? JsonText.Line(error))
        + (error.Text("code") is { } code ? $" ({code}" + (error.Text("nodeId") is { } node ? $" at {node})" : ")") : "");
}
