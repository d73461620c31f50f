using System.Text.Json.Serialization;

namespace GraphExec.Web.Api;

/// <summary>A node's status in a run as the Api and Live write it (the member names, as strings).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeStatus>))]
public enum NodeStatus
{
    /// <summary>Not started yet, or never: the page shows it as queued.</summary>
    Pending,
    Running,
    Succeeded,
    Failed,

    /// <summary>Not run: a branch not taken upstream.</summary>
    Skipped,

    /// <summary>Stopped because the execution ended first.</summary>
    Cancelled,
}
