using System.Text.Json.Serialization;

namespace GraphExec.Core.Data;

/// <summary>What started an execution.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TriggerKind>))]
public enum TriggerKind : short
{
    [JsonStringEnumMemberName("manual")]
    Manual = 0,

    [JsonStringEnumMemberName("webhook")]
    Webhook = 1,

    [JsonStringEnumMemberName("schedule")]
    Schedule = 2,

    /// <summary>An error handler's run, started by the failed run it handles (that execution's id is the trigger ref).</summary>
    [JsonStringEnumMemberName("error")]
    Error = 3,
}
