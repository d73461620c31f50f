using System.Text.Json.Serialization;

namespace GraphExec.Core.Engine;

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
