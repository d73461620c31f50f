using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>
/// Every endpoint that needs a user, called with no token, an expired token and another user's token: 401, 401, and
/// 404 for anything that belongs to someone else (never 403, which would confirm that it exists).
/// </summary>
public sealed class Authorizing_every_endpoint
{
    private static readonly (HttpMethod Method, string Path, bool Owned)[] Endpoints =
    [
        (HttpMethod.Get, "/api/graphs", false),
        (HttpMethod.Post, "/api/graphs", false),
        (HttpMethod.Get, "/api/graphs/{graph}", true),
        (HttpMethod.Put, "/api/graphs/{graph}", true),
        (HttpMethod.Delete, "/api/graphs/{graph}", true),
        (HttpMethod.Get, "/api/graphs/{graph}/versions", true),
        (HttpMethod.Get, "/api/graphs/{graph}/versions/1", true),
        (HttpMethod.Post, "/api/graphs/{graph}/executions", true),
        (HttpMethod.Get, "/api/graphs/{graph}/notifications", true),
        (HttpMethod.Post, "/api/graphs/{graph}/notifications", true),
        (HttpMethod.Delete, "/api/notifications/{notification}", true),
        (HttpMethod.Get, "/api/executions", false),
        (HttpMethod.Get, "/api/executions/{execution}", true),
        (HttpMethod.Get, "/api/executions/{execution}/nodes", true),
        (HttpMethod.Post, "/api/executions/{execution}/rerun", true),
        (HttpMethod.Post, "/api/executions/{execution}/retry", true),
        (HttpMethod.Post, "/api/executions/{execution}/cancel", true),
        (HttpMethod.Put, "/api/executions/{execution}/pin", true),
        (HttpMethod.Delete, "/api/executions/{execution}/pin", true),
        (HttpMethod.Post, "/api/live/tickets", false),
        (HttpMethod.Get, "/api/me", false),
        (HttpMethod.Get, "/api/me/settings", false),
        (HttpMethod.Put, "/api/me/settings", false),
        (HttpMethod.Get, "/api/blocks", false),
        (HttpMethod.Get, "/api/tokens", false),
        (HttpMethod.Post, "/api/tokens", false),
        (HttpMethod.Delete, "/api/tokens/0193a2b4-0000-7000-8000-000000000001", false),
        (HttpMethod.Post, "/api/auth/sign-out", false),
        (HttpMethod.Post, "/api/auth/sign-out-everywhere", false),
    ];

    private HttpClient _owner = null!;
    private HttpClient _stranger = null!;
    private Guid _graph;
    private Guid _execution;
    private Guid _notification;

    [OneTimeSetUp]
    public async Task CreateResourcesAsync()
    {
        _owner = await TestRun.Api.NewUserAsync();
        _stranger = await TestRun.Api.NewUserAsync();
        _graph = await _owner.SaveGraphAsync(Graphs.Greeting);
        _execution = await _owner.StartExecutionAsync(_graph, new { who = "Ada" });
        using var notification = await _owner.PostAsJsonAsync($"/api/graphs/{_graph}/notifications", new { url = "https://example.com/" });
        _notification = (await notification.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _owner.Dispose();
        _stranger.Dispose();
    }

    private static IEnumerable<TestCaseData> AllEndpoints() =>
        Endpoints.Select(e => new TestCaseData(e.Method, e.Path).SetArgDisplayNames(e.Method.Method, e.Path));

    private static IEnumerable<TestCaseData> OwnedEndpoints() =>
        Endpoints.Where(e => e.Owned).Select(e => new TestCaseData(e.Method, e.Path).SetArgDisplayNames(e.Method.Method, e.Path));

    [TestCaseSource(nameof(AllEndpoints))]
    public async Task Should_answer_401_without_a_token(HttpMethod method, string path)
    {
        using var client = TestRun.Api.CreateClient();
        using var response = await client.SendAsync(Request(method, path));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCaseSource(nameof(AllEndpoints))]
    public async Task Should_answer_401_with_an_expired_token(HttpMethod method, string path)
    {
        using var client = TestRun.Api.CreateClient();
        var request = Request(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiApp.ExpiredToken(Guid.CreateVersion7()));
        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCaseSource(nameof(OwnedEndpoints))]
    public async Task Should_answer_404_to_another_user(HttpMethod method, string path)
    {
        using var response = await _stranger.SendAsync(Request(method, path));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_leave_another_users_graphs_and_executions_out_of_lists()
    {
        var graphs = await _stranger.GetFromJsonAsync<JsonElement>("/api/graphs");
        var executions = await _stranger.GetFromJsonAsync<JsonElement>("/api/executions");

        Assert.That(graphs.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(executions.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path
            .Replace("{graph}", _graph.ToString()).Replace("{execution}", _execution.ToString()).Replace("{notification}", _notification.ToString()));
        if ((method == HttpMethod.Post || method == HttpMethod.Put) && !path.EndsWith("/cancel", StringComparison.Ordinal) && !path.EndsWith("/rerun", StringComparison.Ordinal)
            && !path.EndsWith("/retry", StringComparison.Ordinal))
        {
            request.Content = Graphs.Json(path.EndsWith("/executions", StringComparison.Ordinal) ? """{ "inputs": {} }""" : Graphs.Greeting);
        }

        return request;
    }
}
