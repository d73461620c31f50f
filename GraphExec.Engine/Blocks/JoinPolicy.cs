using System.Text.Json.Serialization;

namespace GraphExec.Engine.Blocks;

/// <summary>
/// When a node whose inputs are all settled actually runs. An input settles when its edge either
/// carries a value or is dead (its source was skipped or did not fire that port, as a branch not taken).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<JoinPolicy>))]
public enum JoinPolicy
{
    /// <summary>Runs when every connected input has a value; one dead input skips the node.</summary>
    [JsonStringEnumMemberName("all")]
    All,

    /// <summary>Runs when at least one connected input has a value; skipped only when all are dead.</summary>
    [JsonStringEnumMemberName("any")]
    Any,
}
