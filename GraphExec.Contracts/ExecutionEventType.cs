using System.Text.Json.Serialization;

namespace GraphExec.Contracts;

/// <summary>What a live event reports, as the hub writes it (the member names, as strings).</summary>
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
