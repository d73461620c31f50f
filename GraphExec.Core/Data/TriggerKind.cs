using System.Text.Json.Serialization;

namespace GraphExec.Core.Data;

/// <summary>What started an execution.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TriggerKind>))]
public enum TriggerKind : short
{
    Manual = 0,
    Webhook = 1,
    Schedule = 2,
}
