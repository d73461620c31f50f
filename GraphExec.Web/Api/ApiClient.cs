using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Contracts;
using GraphExec.Web.Account;

namespace GraphExec.Web.Api;

/// <summary>
/// The Api as the UI uses it, on behalf of the signed-in person. Every failure comes out as an <see cref="ApiProblem"/>
/// (with a message fit for a person) or, when the token is gone or refused, a <see cref="SessionExpiredException"/>.
/// </summary>
public sealed class ApiClient(HttpClient http, Session session)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The most node results the Api gives in one page: the fewest round trips for a large run.</summary>
    private const int NodePageSize = 500;

    // Auth

    public Task RegisterAsync(string username, string password, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/auth/register", JsonContent.Create(new { username, password }), authorize: false, cancellationToken);

    public Task<TokenResponse> IssueTokenAsync(string username, string password, CancellationToken cancellationToken = default) =>
        SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/token", JsonContent.Create(new { username, password }), authorize: false, cancellationToken);

    /// <summary>
    /// Exchanges the session's refresh token, once, for the next pair of tokens; a refusal (the session has ended) is a
    /// <see cref="SessionExpiredException"/>.
    /// </summary>
    public async Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync<TokenResponse>(
                HttpMethod.Post, "/api/auth/refresh", JsonContent.Create(new { refreshToken }), authorize: false, cancellationToken);
        }
        catch (ApiProblem problem) when (problem.Status == (int)HttpStatusCode.Unauthorized)
        {
            throw new SessionExpiredException();
        }
    }

    /// <summary>Ends the session of <paramref name="accessToken"/> at the Api: its tokens stop working everywhere.</summary>
    public async Task SignOutAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/auth/sign-out", null, authorize: true, cancellationToken, accessToken);
    }

    // Graphs

    public Task<Page<GraphSummary>> ListGraphsAsync(string? search, string? cursor, int limit = 50, CancellationToken cancellationToken = default) =>
        GetAsync<Page<GraphSummary>>($"/api/graphs?limit={limit}{Query("search", search)}{Query("cursor", cursor)}", cancellationToken);

    public Task<GraphDetails> GetGraphAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<GraphDetails>($"/api/graphs/{id}", cancellationToken);

    /// <summary>Saves the graph JSON exactly as written, so that the Api's pointers match the text.</summary>
    public Task<GraphDetails> CreateGraphAsync(string graphJson, CancellationToken cancellationToken = default) =>
        SendAsync<GraphDetails>(HttpMethod.Post, "/api/graphs", RawJson(graphJson), authorize: true, cancellationToken);

    public Task<GraphDetails> SaveGraphAsync(Guid id, string graphJson, CancellationToken cancellationToken = default) =>
        SendAsync<GraphDetails>(HttpMethod.Put, $"/api/graphs/{id}", RawJson(graphJson), authorize: true, cancellationToken);

    public Task DeleteGraphAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/api/graphs/{id}", null, authorize: true, cancellationToken);

    public Task<Page<GraphVersionSummary>> ListVersionsAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<Page<GraphVersionSummary>>($"/api/graphs/{id}/versions?limit=200", cancellationToken);

    public Task<GraphVersion> GetVersionAsync(Guid id, int version, CancellationToken cancellationToken = default) =>
        GetAsync<GraphVersion>($"/api/graphs/{id}/versions/{version}", cancellationToken);

    public Task<IReadOnlyList<BlockDescriptor>> ListBlocksAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<BlockDescriptor>>("/api/blocks", cancellationToken);

    // Executions

    public Task<RunAccepted> RunAsync(Guid graphId, JsonObject inputs, CancellationToken cancellationToken = default) =>
        SendAsync<RunAccepted>(
            HttpMethod.Post, $"/api/graphs/{graphId}/executions", JsonContent.Create(new { inputs, live = true }), authorize: true, cancellationToken);

    public Task<Page<ExecutionSummary>> ListExecutionsAsync(
        Guid? graphId, string? status, string? trigger, string? cursor, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<Page<ExecutionSummary>>(
            $"/api/executions?limit={limit}{Query("graphId", graphId?.ToString())}{Query("status", status)}{Query("trigger", trigger)}{Query("cursor", cursor)}",
            cancellationToken);

    /// <summary>
    /// The execution with every node's result: the Api answers the first page of nodes with the execution, and the rest
    /// is read page by page, since the page colours every node of the graph.
    /// </summary>
    public async Task<ExecutionDetails> GetExecutionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var execution = await GetAsync<ExecutionDetails>($"/api/executions/{id}", cancellationToken);
        if (execution.NodesNextCursor is null)
        {
            return execution;
        }

        var nodes = new List<NodeExecution>(execution.Nodes);
        for (var cursor = execution.NodesNextCursor; cursor is not null;)
        {
            var page = await GetAsync<Page<NodeExecution>>($"/api/executions/{id}/nodes?limit={NodePageSize}{Query("cursor", cursor)}", cancellationToken);
            nodes.AddRange(page.Items);
            cursor = page.NextCursor;
        }

        return execution with { Nodes = nodes, NodesNextCursor = null };
    }

    /// <summary>A value kept in blob storage, whole, from the Api's streaming endpoint (only when a person asks for it).</summary>
    public Task<JsonElement> GetValueAsync(Guid executionId, string key, CancellationToken cancellationToken = default) =>
        GetAsync<JsonElement>($"/api/executions/{executionId}/values/{Uri.EscapeDataString(key)}", cancellationToken);

    /// <summary>The execution's graph again, on the version it ran, with its inputs; streamed live.</summary>
    public Task<RunAccepted> RerunAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<RunAccepted>(
            HttpMethod.Post, $"/api/executions/{id}/rerun", JsonContent.Create(new { version = "same", live = true }), authorize: true, cancellationToken);

    /// <summary>
    /// A new run of a failed, timed-out or cancelled execution from its failed node, reusing the results of the nodes
    /// that had completed; streamed live.
    /// </summary>
    public Task<RunAccepted> RetryAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<RunAccepted>(HttpMethod.Post, $"/api/executions/{id}/retry", JsonContent.Create(new { live = true }), authorize: true, cancellationToken);

    public Task CancelExecutionAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/api/executions/{id}/cancel", null, authorize: true, cancellationToken);

    // Webhooks

    public Task<Page<Webhook>> ListWebhooksAsync(Guid graphId, CancellationToken cancellationToken = default) =>
        GetAsync<Page<Webhook>>($"/api/graphs/{graphId}/webhooks?limit=200", cancellationToken);

    public Task<Webhook> CreateWebhookAsync(Guid graphId, string scheme, CancellationToken cancellationToken = default) =>
        SendAsync<Webhook>(HttpMethod.Post, $"/api/graphs/{graphId}/webhooks", JsonContent.Create(new { scheme }), authorize: true, cancellationToken);

    public Task<Webhook> SetWebhookEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken = default) =>
        SendAsync<Webhook>(HttpMethod.Put, $"/api/webhooks/{id}", JsonContent.Create(new { enabled }), authorize: true, cancellationToken);

    public Task<Webhook> RotateWebhookAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<Webhook>(HttpMethod.Post, $"/api/webhooks/{id}/rotate", null, authorize: true, cancellationToken);

    public Task DeleteWebhookAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/api/webhooks/{id}", null, authorize: true, cancellationToken);

    public Task<Page<WebhookDelivery>> ListDeliveriesAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<Page<WebhookDelivery>>($"/api/webhooks/{id}/deliveries?limit=20", cancellationToken);

    // Notifications

    public Task<Page<NotificationEndpoint>> ListNotificationsAsync(Guid graphId, CancellationToken cancellationToken = default) =>
        GetAsync<Page<NotificationEndpoint>>($"/api/graphs/{graphId}/notifications?limit=200", cancellationToken);

    public Task<NotificationEndpoint> CreateNotificationAsync(Guid graphId, string url, IReadOnlyList<string> events, CancellationToken cancellationToken = default) =>
        SendAsync<NotificationEndpoint>(HttpMethod.Post, $"/api/graphs/{graphId}/notifications", JsonContent.Create(new { url, events }), authorize: true, cancellationToken);

    public Task DeleteNotificationAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/api/notifications/{id}", null, authorize: true, cancellationToken);

    // Schedules

    public Task<Page<Schedule>> ListSchedulesAsync(Guid graphId, CancellationToken cancellationToken = default) =>
        GetAsync<Page<Schedule>>($"/api/graphs/{graphId}/schedules?limit=200", cancellationToken);

    public Task<Schedule> CreateScheduleAsync(Guid graphId, ScheduleRequest schedule, CancellationToken cancellationToken = default) =>
        SendAsync<Schedule>(HttpMethod.Post, $"/api/graphs/{graphId}/schedules", JsonContent.Create(schedule, options: Json), authorize: true, cancellationToken);

    /// <summary>The next fire times of <paramref name="cron"/>, or an <see cref="ApiProblem"/> with issues at <c>/cron</c> and <c>/timeZone</c>.</summary>
    public Task<SchedulePreview> PreviewScheduleAsync(string cron, string timeZone, CancellationToken cancellationToken = default) =>
        GetAsync<SchedulePreview>($"/api/schedules/preview?cron={Uri.EscapeDataString(cron)}{Query("timeZone", timeZone)}", cancellationToken);

    public Task<Schedule> PauseScheduleAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<Schedule>(HttpMethod.Post, $"/api/schedules/{id}/pause", null, authorize: true, cancellationToken);

    public Task<Schedule> ResumeScheduleAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<Schedule>(HttpMethod.Post, $"/api/schedules/{id}/resume", null, authorize: true, cancellationToken);

    public Task DeleteScheduleAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/api/schedules/{id}", null, authorize: true, cancellationToken);

    // Credentials: a value goes in (create, replace) and never comes back.

    public Task<Page<Credential>> ListCredentialsAsync(string? cursor, int limit, CancellationToken cancellationToken = default) =>
        GetAsync<Page<Credential>>($"/api/credentials?limit={limit}{Query("cursor", cursor)}", cancellationToken);

    public Task<Credential> GetCredentialAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<Credential>($"/api/credentials/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>Stores a credential, or answers an <see cref="ApiProblem"/> with issues at <c>name</c> (409 when taken) and <c>value</c>.</summary>
    public Task<Credential> CreateCredentialAsync(string name, string value, CredentialKind kind, CancellationToken cancellationToken = default) =>
        SendAsync<Credential>(HttpMethod.Post, "/api/credentials", JsonContent.Create(new { name, value, kind }), authorize: true, cancellationToken);

    public Task<Credential> ReplaceCredentialAsync(string name, string value, CredentialKind kind, CancellationToken cancellationToken = default) =>
        SendAsync<Credential>(
            HttpMethod.Put, $"/api/credentials/{Uri.EscapeDataString(name)}", JsonContent.Create(new { value, kind }), authorize: true, cancellationToken);

    public Task DeleteCredentialAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/api/credentials/{Uri.EscapeDataString(name)}", null, authorize: true, cancellationToken);

    private Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, authorize: true, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body, bool authorize, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, authorize, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw new JsonException("The answer was empty.");
        }
        catch (JsonException exception)
        {
            throw new ApiProblem((int)response.StatusCode, "GraphExec answered something this page does not understand. Reload and try again.", [], exception);
        }
    }

    /// <param name="accessToken">The token to send when <paramref name="authorize"/>; the signed-in person's when null.</param>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? body, bool authorize, CancellationToken cancellationToken, string? accessToken = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        if (authorize)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken ?? await session.AccessTokenAsync());
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested)
            || exception is Polly.ExecutionRejectedException)
        {
            throw ProblemReader.Unreachable(exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if (authorize && response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new SessionExpiredException();
            }

            throw await ProblemReader.ReadAsync(response, cancellationToken);
        }
    }

    private static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Query(string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? "" : $"&{name}={Uri.EscapeDataString(value)}";
}
