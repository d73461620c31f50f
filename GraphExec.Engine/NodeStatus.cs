using System.Text.Json.Serialization;

namespace GraphExec.Engine;

[JsonConverter(typeof(JsonStringEnumConverter<NodeStatus>))]
public enum NodeStatus
{
    /// <summary>Not started: its inputs never settled, or the execution ended first.</summary>
    Pending,
    Running,
    Succeeded,

    /// <summary>Failed after its last attempt (with <c>onError: continue</c> the execution went on).</summary>
    Failed,

    /// <summary>Not run because an input it needed was dead (a branch not taken upstream).</summary>
    Skipped,

    /// <summary>Stopped because the execution was cancelled, timed out or failed elsewhere.</summary>
    Cancelled,
}
