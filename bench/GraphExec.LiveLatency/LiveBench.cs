using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.LiveLatency;

/// <summary>
/// Starts the Api, one Live instance and a Worker (Release builds) on servers of their own, then:
/// memory — opens <c>connections</c> hub connections, each subscribed to a queued execution of its own (rows written
/// directly, so no worker runs them and every subscription stays open), and reads the Live process's working set and GC
/// heap before and with them; latency — runs a live graph <c>runs</c> times (4 at once) and times each event of the nodes
/// after its first delay from its timestamp (taken by the Worker when the node completed) to its arrival in this client.
/// </summary>
public static class LiveBench
{
    private const string SigningKey = "bench-signing-key-of-at-least-thirty-two-characters";
    private const int InFlight = 4;

    /// <summary>A delay first, so that the subscription is in place before the timed nodes complete.</summary>
    private const string Graph = """
        {
          "name": "Live latency",
          "nodes": [
            { "id": "who",   "block": "input",    "config": { "name": "who", "default": "world" } },
            { "id": "wait",  "block": "delay",    "config": { "milliseconds": 200 } },
            { "id": "a",     "block": "template", "config": { "template": "Hello, {{v}}!" } },
            { "id": "b",     "block": "template", "config": { "template": "[{{v}}]" } },
            { "id": "c",     "block": "template", "config": { "template": "({{v}})" } },
            { "id": "d",     "block": "template", "config": { "template": "<{{v}}>" } },
            { "id": "out",   "block": "output",   "config": { "name": "text" } }
          ],
          "edges": [
            { "from": "who.value",  "to": "wait.value" },
            { "from": "wait.value", "to": "a.v" },
            { "from": "a.text",     "to": "b.v" },
            { "from": "b.text",     "to": "c.v" },
            { "from": "c.text",     "to": "d.v" },
            { "from": "d.text",     "to": "out.value" }
          ]
        }
        """;

    private static readonly HashSet<string> TimedNodes = ["a", "b", "c", "d", "out"];

    public static async Task RunAsync(int runs, int connections)
    {
        await using var servers = await TestServers.StartAsync();
        await using var isolated = await servers.IsolateAsync("live_bench");
        var settings = new Dictionary<string, string>(isolated.ServiceSettings())
        {
            ["Jwt:SigningKey"] = SigningKey,
            ["RateLimiting:PermitsPerSecond"] = "100000",
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        };

        // A Worker that starts once declares the queues; the next one starts for the latency part.
        (await ServiceProcess.StartAsync("GraphExec.Worker", settings)).Dispose();
        using var api = await ServiceProcess.StartAsync("GraphExec.Api", settings);
        using var live = await ServiceProcess.StartAsync("GraphExec.Live", settings);
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var token = await ApiUsers.SignUpAsync(http);
        using var graph = await http.PostAsync("/api/graphs", new StringContent(Graph, Encoding.UTF8, "application/json"));
        graph.EnsureSuccessStatusCode();
        var graphId = (await graph.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var hub = new Uri(live.BaseAddress, "hubs/executions");

        Console.WriteLine($"Live memory with {connections:N0} subscribed connections (process {live.Id}):");
        await MeasureMemoryAsync(live, hub, token, ApiUsers.OwnerId(token), graphId, isolated.Connections.Database, connections);

        using var worker = await ServiceProcess.StartAsync("GraphExec.Worker", settings);
        Console.WriteLine($"Delivery latency over {runs} live runs, {InFlight} at once:");
        var latencies = await MeasureLatencyAsync(http, hub, token, graphId, runs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {latencies.Length} events: p50 {Percentile(latencies, 0.50):0.0} ms, p90 {Percentile(latencies, 0.90):0.0} ms, "
            + $"p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms"));
    }

    private static async Task MeasureMemoryAsync(
        ServiceProcess live, Uri hub, string token, Guid ownerId, Guid graphId, string database, int connections)
    {
        var executions = await QueueUnstartedAsync(database, ownerId, graphId, connections);

        // Warm: one connection through the whole path, so that the baseline holds the code and pools, not the first call.
        await using (var warm = await ConnectAsync(hub, token))
        {
            await warm.InvokeAsync("Subscribe", executions[0], 0L);
        }

        var before = await MemoryAsync(live);
        Console.WriteLine($"  0 connections: {before}");

        var clients = new ConcurrentBag<HubConnection>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(executions, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (executionId, _) =>
        {
            var client = await ConnectAsync(hub, token);
            clients.Add(client);
            await client.InvokeAsync("Subscribe", executionId, 0L);
        });
        Console.WriteLine($"  {clients.Count:N0} connections subscribed in {clock.Elapsed.TotalSeconds:0.0} s");

        var with = await MemoryAsync(live);
        Console.WriteLine($"  {clients.Count:N0} connections: {with}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  per connection: working set {(with.WorkingSet - before.WorkingSet) / 1024.0 / clients.Count:0.0} KiB, "
            + $"GC heap {(with.GcHeap - before.GcHeap) / 1024.0 / clients.Count:0.0} KiB"));

        await Parallel.ForEachAsync(clients, async (client, _) => await client.DisposeAsync());
    }

    private static async Task<double[]> MeasureLatencyAsync(HttpClient http, Uri hub, string token, Guid graphId, int runs)
    {
        var latencies = new ConcurrentBag<double>();
        var next = 0;
        var slots = Enumerable.Range(0, InFlight).Select(async _ =>
        {
            await using var client = await ConnectAsync(hub, token);
            RunEvents? current = null;
            client.On<JsonElement>("ExecutionEvent", executionEvent =>
            {
                var received = DateTimeOffset.UtcNow;
                current?.Receive(executionEvent, received);
            });

            while (Interlocked.Increment(ref next) <= runs)
            {
                using var run = await http.PostAsJsonAsync($"/api/graphs/{graphId}/executions", new { inputs = new { who = "Ada" }, live = true });
                run.EnsureSuccessStatusCode();
                var executionId = (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
                current = new RunEvents(executionId);
                await client.InvokeAsync("Subscribe", executionId, 0L);
                foreach (var latency in await current.Completed.WaitAsync(TimeSpan.FromMinutes(2)))
                {
                    latencies.Add(latency);
                }
            }
        });
        await Task.WhenAll(slots);
        return [.. latencies.Order()];
    }

    private static async Task<List<Guid>> QueueUnstartedAsync(string database, Guid ownerId, Guid graphId, int count)
    {
        var options = new DbContextOptionsBuilder<GraphExecDbContext>().UseGraphExecNpgsql(database).Options;
        await using var db = new GraphExecDbContext((DbContextOptions<GraphExecDbContext>)options);
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToList();
        db.Executions.AddRange(ids.Select(id => new Execution
        {
            OwnerId = ownerId,
            Id = id,
            GraphId = graphId,
            GraphVersion = 1,
            Trigger = TriggerKind.Manual,
            Status = ExecutionStatus.Queued,
            Live = true,
            Inputs = "{}",
            QueuedAt = now,
        }));
        await db.SaveChangesAsync();
        return ids;
    }

    private static async Task<HubConnection> ConnectAsync(Uri hub, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, options =>
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                options.SkipNegotiation = true;
                options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static Task<Memory> MemoryAsync(ServiceProcess live) => Memory.ReadAsync(live.Id);

    private static double Percentile(double[] sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>One run's events as this client receives them.</summary>
    private sealed class RunEvents(Guid executionId)
    {
        private readonly List<double> _latencies = [];
        private readonly TaskCompletionSource<List<double>> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<List<double>> Completed => _completed.Task;

        public void Receive(JsonElement executionEvent, DateTimeOffset received)
        {
            if (executionEvent.GetProperty("executionId").GetGuid() != executionId)
            {
                return;
            }

            var type = executionEvent.GetProperty("type").GetString();
            if (type == "NodeCompleted" && TimedNodes.Contains(executionEvent.GetProperty("nodeId").GetString()!))
            {
                _latencies.Add((received - executionEvent.GetProperty("timestamp").GetDateTimeOffset()).TotalMilliseconds);
            }
            else if (type == "ExecutionCompleted")
            {
                _completed.TrySetResult(_latencies);
            }
        }
    }
}
