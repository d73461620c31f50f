using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Live.Tests;

/// <summary>
/// The official clients with their default options (negotiate first, then the best transport) behind a load balancer that
/// sends each TCP connection to the next of the two Live replicas, with no sticky sessions: the negotiate and the WebSocket
/// of one client usually reach different replicas.
/// </summary>
public sealed class Connecting_through_a_balancer
{
    /// <summary>ExecutionStarted, NodeStarted and NodeCompleted for each of the Welcome graph's five nodes, ExecutionCompleted.</summary>
    private const int WelcomeEvents = 12;

    /// <summary>Four delays of a second in a row: long enough to cut the connection in the middle of the run.</summary>
    private const string Slow = """
        {
          "name": "Slow",
          "nodes": [
            { "id": "who", "block": "input",  "config": { "name": "who", "default": "world" } },
            { "id": "d1",  "block": "delay",  "config": { "milliseconds": 1000 } },
            { "id": "d2",  "block": "delay",  "config": { "milliseconds": 1000 } },
            { "id": "d3",  "block": "delay",  "config": { "milliseconds": 1000 } },
            { "id": "d4",  "block": "delay",  "config": { "milliseconds": 1000 } },
            { "id": "out", "block": "output", "config": { "name": "done" } }
          ],
          "edges": [
            { "from": "who.value", "to": "d1.value" },
            { "from": "d1.value",  "to": "d2.value" },
            { "from": "d2.value",  "to": "d3.value" },
            { "from": "d3.value",  "to": "d4.value" },
            { "from": "d4.value",  "to": "out.value" }
          ]
        }
        """;

    private RoundRobinProxy _balancer = null!;
    private ApiUser _user = null!;
    private Guid _welcome;

    private Uri Hub => new(_balancer.BaseAddress, "hubs/executions");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _balancer = new RoundRobinProxy(TestRun.LiveA.BaseAddress, TestRun.LiveB.BaseAddress);
        _user = await ApiUser.SignUpAsync();
        _welcome = await _user.SaveGraphAsync(SampleGraphs.Welcome);
        await TestRun.StartWorkerAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _user.Dispose();
        await _balancer.DisposeAsync();
    }

    [TestCase("in-a-row", TestName = "Should watch 20 runs in a row on WebSockets with the JavaScript client's defaults in Node")]
    [TestCase("browser", TestName = "Should watch 20 runs in a row on WebSockets with the JavaScript client's defaults in Chromium")]
    public async Task Should_watch_20_runs_in_a_row_on_websockets_with_the_javascript_client_defaults(string mode)
    {
        const int runs = 20;
        using var client = await OfficialJavaScriptClient.StartAsync(mode, Environment(("GRAPH_ID", _welcome.ToString()), ("RUNS", $"{runs}")));

        List<JsonElement> results = [];
        for (var run = 0; run < runs; run++)
        {
            results.Add(await client.NextAsync());
        }

        Assert.Multiple(() =>
        {
            Assert.That(results.Where(r => r.TryGetProperty("error", out _)).Select(r => r.GetRawText()), Is.Empty);
            Assert.That(results.Select(r => r.GetProperty("transport").GetString()), Is.All.EqualTo("WebSocketTransport"));
            Assert.That(results.Select(r => r.GetProperty("status").GetString()), Is.All.EqualTo("Succeeded"));
            Assert.That(results.Select(Sequences), Is.All.EqualTo(Enumerable.Range(1, WelcomeEvents)));
            Assert.That(_balancer.ConnectionsPerBackend, Is.All.GreaterThan(0), "the balancer used both replicas");
        });
    }

    [Test]
    public async Task Should_resume_without_gaps_or_duplicates_when_the_javascript_client_reconnects_mid_run()
    {
        var slow = await _user.SaveGraphAsync(Slow);
        using var client = await OfficialJavaScriptClient.StartAsync("reconnect", Environment(("GRAPH_ID", slow.ToString())));

        var watching = await client.NextAsync();
        _balancer.DropAll();
        var result = await client.NextAsync();

        Assert.Multiple(() =>
        {
            Assert.That(watching.GetProperty("transport").GetString(), Is.EqualTo("WebSocketTransport"));
            Assert.That(result.TryGetProperty("error", out var error), Is.False, error.ToString());
            Assert.That(result.GetProperty("reconnects").GetInt32(), Is.GreaterThanOrEqualTo(1));
            Assert.That(result.GetProperty("transport").GetString(), Is.EqualTo("WebSocketTransport"));
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
            // ExecutionStarted, two events for each of the six nodes, ExecutionCompleted: each once, in order.
            Assert.That(Sequences(result), Is.EqualTo(Enumerable.Range(1, 14)));
        });
    }

    [Test]
    public async Task Should_watch_runs_in_a_row_with_the_dotnet_client_defaults()
    {
        for (var run = 0; run < 6; run++)
        {
            var executionId = await _user.RunAsync(_welcome);
            await using var watcher = await Watcher.ConnectAsync(Hub, _user.Token);
            await watcher.SubscribeAsync(executionId);

            var events = await watcher.UntilCompletedAsync();

            Assert.That(events.Select(e => e.GetProperty("sequence").GetInt32()), Is.EqualTo(Enumerable.Range(1, WelcomeEvents)));
        }
    }

    [Test]
    public async Task Should_offer_websockets_alone_when_negotiating()
    {
        using var http = new HttpClient { BaseAddress = _balancer.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "hubs/executions/negotiate?negotiateVersion=1");
        request.Headers.Authorization = new("Bearer", _user.Token);

        using var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var negotiation = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(negotiation.GetProperty("negotiateVersion").GetInt32(), Is.EqualTo(1));
            Assert.That(negotiation.GetProperty("connectionToken").GetString(), Is.Not.Empty);
            Assert.That(
                negotiation.GetProperty("availableTransports").EnumerateArray().Select(t => t.GetProperty("transport").GetString()),
                Is.EqualTo(new[] { "WebSockets" }));
        });
    }

    [Test]
    public async Task Should_answer_a_browsers_preflight_from_another_origin()
    {
        using var http = new HttpClient { BaseAddress = _balancer.BaseAddress };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "hubs/executions/negotiate?negotiateVersion=1");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,x-requested-with,x-signalr-user-agent");

        using var response = await http.SendAsync(preflight);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "https://app.example.com" }));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Credentials"), Is.EqualTo(new[] { "true" }));
    }

    [Test]
    public async Task Should_refuse_to_negotiate_without_a_token()
    {
        using var http = new HttpClient { BaseAddress = _balancer.BaseAddress };

        using var response = await http.PostAsync("hubs/executions/negotiate?negotiateVersion=1", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("GET", "text/event-stream", TestName = "Server-Sent Events")]
    [TestCase("GET", "*/*", TestName = "Long polling")]
    [TestCase("POST", "*/*", TestName = "Long polling's send")]
    public async Task Should_refuse_transports_other_than_websockets_with_a_problem_that_says_why(string method, string accept)
    {
        using var http = new HttpClient { BaseAddress = _balancer.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), "hubs/executions?id=anything");
        request.Headers.Authorization = new("Bearer", _user.Token);
        request.Headers.Accept.ParseAdd(accept);

        using var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("This hub accepts WebSockets only."));
    }

    private Dictionary<string, string> Environment(params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string>
        {
            ["API_URL"] = TestRun.Api.BaseAddress.ToString(),
            ["HUB_URL"] = Hub.ToString(),
            ["TOKEN"] = _user.Token,
        };
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static IEnumerable<int> Sequences(JsonElement result) =>
        result.GetProperty("sequences").EnumerateArray().Select(s => s.GetInt32());
}
