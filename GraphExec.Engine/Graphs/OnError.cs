using System.Text.Json.Serialization;

namespace GraphExec.Engine.Graphs;

/// <summary>What a node's failure does to the execution.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OnError>))]
public enum OnError
{
    /// <summary>The execution fails (the default).</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>The error goes out on the node's <c>error</c> port and the execution goes on.</summary>
    [JsonStringEnumMemberName("continue")]
    Continue,
}
