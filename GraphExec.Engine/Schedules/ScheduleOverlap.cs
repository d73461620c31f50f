using System.Text.Json.Serialization;

namespace GraphExec.Engine.Schedules;

/// <summary>What a fire time does while the schedule's previous execution has not finished.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScheduleOverlap>))]
public enum ScheduleOverlap : short
{
    /// <summary>Start another execution anyway.</summary>
    [JsonStringEnumMemberName("allow")]
    Allow = 0,

    /// <summary>Start nothing for this fire time and count it as skipped.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip = 1,
}
