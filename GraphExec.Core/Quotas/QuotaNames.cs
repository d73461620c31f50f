namespace GraphExec.Core.Quotas;

/// <summary>The names a refusal gives each quota, stable for clients: <see cref="UserQuotas"/>' properties in camelCase.</summary>
public static class QuotaNames
{
    public const string Graphs = "graphs";
    public const string Webhooks = "webhooks";
    public const string Schedules = "schedules";
    public const string NotificationsPerGraph = "notificationsPerGraph";
    public const string Credentials = "credentials";
    public const string AccessTokens = "accessTokens";
    public const string ScheduleMinimumInterval = "scheduleMinimumInterval";
    public const string QueuedExecutions = "queuedExecutions";
    public const string StoredBytes = "storedBytes";
}
