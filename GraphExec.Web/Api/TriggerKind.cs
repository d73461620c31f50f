using System.Text.Json.Serialization;

namespace GraphExec.Web.Api;

/// <summary>What started an execution; the Api writes it in lower case, as the <c>trigger</c> filter takes it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TriggerKind>))]
public enum TriggerKind
{
    [JsonStringEnumMemberName("manual")]
    Manual,

    [JsonStringEnumMemberName("webhook")]
    Webhook,

    [JsonStringEnumMemberName("schedule")]
    Schedule,

    /// <summary>An error handler's run, started by the failed run of the graph that names it.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}
