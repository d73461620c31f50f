using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Engine;

namespace GraphExec.Core.Notifications;

/// <summary>
/// What an error handler and a notification endpoint learn of an ended run: the same object, given to the handler as
/// its input <see cref="InputName"/> and sent to endpoints as a delivery's <c>data</c>.
/// </summary>
public static class ExecutionSummary
{
    /// <summary>The error handler's input that receives the summary.</summary>
    public const string InputName = "execution";

    /// <summary>
    /// <c>{ executionId, graphId, graphName, graphVersion, status, error, failedNodeId, trigger, queuedAt, finishedAt }</c>;
    /// <c>error</c> is the run's error as stored (secrets masked already), <c>failedNodeId</c> the node it names.
    /// </summary>
    public static JsonObject Of(Execution execution, string graphName)
    {
        var error = execution.Error is null ? null : JsonNode.Parse(execution.Error);
        var summary = new JsonObject
        {
            ["executionId"] = execution.Id,
            ["graphId"] = execution.GraphId,
            ["graphName"] = graphName,
            ["graphVersion"] = execution.GraphVersion,
            ["status"] = execution.Status.ToString(),
            ["error"] = error,
            ["failedNodeId"] = error?["nodeId"]?.DeepClone(),
            ["trigger"] = JsonSerializer.SerializeToNode(execution.Trigger),
            ["queuedAt"] = execution.QueuedAt,
            ["finishedAt"] = execution.FinishedAt,
        };

        // As parsed JSON, like every other input: the value pipeline reads strings as strings, not as Guid or time values.
        return JsonNode.Parse(summary.ToJsonString())!.AsObject();
    }

    /// <summary>
    /// A delivery's body: <c>{ "type": "execution.failed", "timestamp", "data": summary }</c>. The timestamp is the run's
    /// end, so that every attempt of one delivery sends the same body.
    /// </summary>
    public static string Delivery(Execution execution, JsonObject summary) => new JsonObject
    {
        ["type"] = NotificationEvents.TypeOf(execution.Status),
        ["timestamp"] = execution.FinishedAt,
        ["data"] = summary.DeepClone(),
    }.ToJsonString();

    /// <summary>The delivery's <c>webhook-id</c>: the same for every attempt to one endpoint, so receivers drop repeats.</summary>
    public static string DeliveryId(Guid executionId, Guid endpointId) => $"msg_{executionId:N}_{endpointId:N}";
}
