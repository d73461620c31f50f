using System.Text.Json.Serialization;

namespace GraphExec.Web.Api;

/// <summary>An execution's status as the Api and Live write it (the member names, as strings).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
}
