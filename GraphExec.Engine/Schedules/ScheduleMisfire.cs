using System.Text.Json.Serialization;

namespace GraphExec.Engine.Schedules;

/// <summary>What happens to fire times missed by more than the grace period (the Scheduler was down or far behind).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScheduleMisfire>))]
public enum ScheduleMisfire : short
{
    /// <summary>One execution for the latest missed fire time, then on time again.</summary>
    [JsonStringEnumMemberName("fire-once")]
    FireOnce = 0,

    /// <summary>No execution for the missed fire times; on time again from the next one.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip = 1,
}
