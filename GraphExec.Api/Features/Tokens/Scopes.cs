using System.Collections.Frozen;

namespace GraphExec.Api.Features.Tokens;

/// <summary>
/// What a personal access token may do: <c>{area}:read</c> for the area's GET and HEAD endpoints, <c>{area}:write</c> for
/// the rest (each group of endpoints names its area with <c>RequireScopes</c>). The two are independent:
/// a token that writes graphs but should also read them asks for both. A session (a signed-in person's JWT) has every scope.
/// </summary>
public static class Scopes
{
    /// <summary>The claim that carries a token's scopes, one claim per scope.</summary>
    public const string ClaimType = "scope";

    public const string Graphs = "graphs";
    public const string Executions = "executions";
    public const string Webhooks = "webhooks";
    public const string Schedules = "schedules";
    public const string Credentials = "credentials";

    public const string GraphsRead = Graphs + Read;
    public const string GraphsWrite = Graphs + Write;
    public const string ExecutionsRead = Executions + Read;
    public const string ExecutionsWrite = Executions + Write;
    public const string WebhooksRead = Webhooks + Read;
    public const string WebhooksWrite = Webhooks + Write;
    public const string SchedulesRead = Schedules + Read;
    public const string SchedulesWrite = Schedules + Write;
    public const string CredentialsRead = Credentials + Read;
    public const string CredentialsWrite = Credentials + Write;

    private const string Read = ":read";
    private const string Write = ":write";

    /// <summary>Every scope a token may be given.</summary>
    public static readonly FrozenSet<string> All = FrozenSet.Create(
        StringComparer.Ordinal,
        GraphsRead, GraphsWrite, ExecutionsRead, ExecutionsWrite, WebhooksRead, WebhooksWrite, SchedulesRead, SchedulesWrite,
        CredentialsRead, CredentialsWrite);

    /// <summary>The scope an endpoint of <paramref name="area"/> answering <paramref name="methods"/> needs: read only for reads.</summary>
    public static string For(string area, IEnumerable<string> methods) =>
        methods.Any() && methods.All(method => HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) ? Reading(area) : area + Write;

    /// <summary>The scope to read <paramref name="area"/>.</summary>
    public static string Reading(string area) => area + Read;
}
