using System.Text.Json.Serialization;

namespace GraphExec.Engine.Blocks;

/// <summary>The JSON type a port carries. Edges between two typed ports must agree; <see cref="Any"/> matches all.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PortType>))]
public enum PortType
{
    [JsonStringEnumMemberName("any")]
    Any,

    [JsonStringEnumMemberName("string")]
    String,

    [JsonStringEnumMemberName("number")]
    Number,

    [JsonStringEnumMemberName("boolean")]
    Boolean,

    [JsonStringEnumMemberName("object")]
    Object,

    [JsonStringEnumMemberName("array")]
    Array,
}
