using System.Text.Json.Serialization;

namespace GraphExec.Engine;

[JsonConverter(typeof(JsonStringEnumConverter<ExecutionEventType>))]
public enum ExecutionEventType
{
    ExecutionStarted,
    NodeStarted,
    NodeCompleted,
    NodeFailed,
    NodeSkipped,
    ExecutionCompleted,
}
