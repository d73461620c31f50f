using System.Collections.Concurrent;
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
/// memory — opens <c>connections</c> WebSocket connections from client processes of their own, each subscribed to a queued
/// execution of its own (rows written directly, so no worker runs them and every subscription stays open), and reads the
/// Live process's working set and GC heap before and with them; latency — with those connections still held, runs a live
/// graph <c>runs</c> times (4 at once) and times each event of the nodes after its first delay from its timestamp (taken by
/// the Worker when the node completed) to its arrival in a .NET SignalR client.
/// </summary>
public static class LiveBench
{
    private const string SigningKey = "bench-signing-key-of-at-least-thirty-two-characters";
    private const int InFlight = 4;

    /// <summary>Files Live needs besides the held connections: its assemblies, Redis, PostgreSQL, the latency clients.</summary>
    private const int OtherFiles = 1_000;

    /// <summary>Connections per client process: well inside its own open-files limit and a loopback address's ports.</summary>
    private const int ConnectionsPerClient = 10_000;

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

    public static async Task RunAsync(LiveBenchOptions options)
    {
        await using var servers = await TestServers.StartAsync();
        await using var isolated = await servers.IsolateAsync("live_bench");
        var settings = new Dictionary<string, string>(isolated.ServiceSettings())
        {
            ["Jwt:SigningKey"] = SigningKey,
            ["RateLimiting:PermitsPerSecond"] = "100000",
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        };
        var liveSettings = new Dictionary<string, string>(settings);
        foreach (var (name, value) in options.LiveSettings)
        {
            liveSettings[name] = value;
        }

        // A Worker that starts once declares the queues; the next one starts for the latency part.
        (await ServiceProcess.StartAsync("GraphExec.Worker", settings)).Dispose();
        using var api = await ServiceProcess.StartAsync("GraphExec.Api", settings);
        using var live = await ServiceProcess.StartAsync("GraphExec.Live", liveSettings);
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var token = await ApiUsers.SignUpAsync(http);
        using var graph = await http.PostAsync("/api/graphs", new StringContent(Graph, Encoding.UTF8, "application/json"));
        graph.EnsureSuccessStatusCode();
        var graphId = (await graph.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var hub = new Uri(live.BaseAddress, "hubs/executions");

        Console.WriteLine($"Live process {live.Id}{string.Concat(options.LiveSettings.Select(setting => $" {setting.Key}={setting.Value}"))}");
        var connections = Fitting(options.Connections, live.Id);
        Console.WriteLine($"Live memory with {connections:N0} subscribed connections (load average {ProcFs.LoadAverage()}):");
        var executions = await QueueUnstartedAsync(isolated.Connections.Database, ApiUsers.OwnerId(token), graphId, connections);
        await using var held = await HoldAsync(live, hub, token, executions, options.Parallelism);

        using var worker = await ServiceProcess.StartAsync("GraphExec.Worker", settings);
        Console.WriteLine($"Delivery latency over {options.Runs} live runs, {InFlight} at once, {held.Subscribed:N0} connections held "
            + $"(load average {ProcFs.LoadAverage()}):");
        var latencies = await MeasureLatencyAsync(http, hub, token, graphId, options.Runs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {latencies.Length} events: p50 {Percentile(latencies, 0.50):0.0} ms, p90 {Percentile(latencies, 0.90):0.0} ms, "
            + $"p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms (load average {ProcFs.LoadAverage()})"));
        Console.WriteLine($"  still open afterwards: {await held.CountOpenAsync():N0} of {held.Subscribed:N0}; Live: {await MemoryAsync(live)}");

        if (options.GcDumpDirectory is { } directory)
        {
            await GcDump.CollectAsync(live.Id, directory);
        }
    }

    /// <summary>
    /// The connections one Live process can hold on this machine: each is a socket, and the process's open files are
    /// capped (<c>ulimit -n</c>); asking for more is stated and capped rather than failing half-way.
    /// </summary>
    private static int Fitting(int connections, int liveProcessId)
    {
        var (soft, hard) = ProcFs.OpenFilesLimit(liveProcessId);
        var fitting = (int)Math.Min(connections, Math.Max(0, soft - OtherFiles));
        if (fitting < connections)
        {
            Console.WriteLine(
                $"  {connections:N0} connections cannot be held by one Live process here: its open-files limit (RLIMIT_NOFILE) is {soft:N0} "
                + $"(hard {hard:N0}), one per socket, and it needs about {OtherFiles:N0} other files; holding {fitting:N0} instead.");
        }

        return fitting;
    }

    private static async Task<HeldConnections> HoldAsync(ServiceProcess live, Uri hub, string token, List<Guid> executions, int parallelism)
    {
        // Warm: one connection through the whole path, so that the baseline holds the code and pools, not the first call.
        await using (var warm = await ConnectAsync(hub, token))
        {
            await warm.InvokeAsync("Subscribe", executions[0], 0L);
        }

        var before = await MemoryAsync(live);
        Console.WriteLine($"  0 connections: {before}");

        var (ownFiles, _) = ProcFs.OpenFilesLimit(Environment.ProcessId);
        var perClient = (int)Math.Min(ConnectionsPerClient, ownFiles - OtherFiles);
        var cpu = ProcFs.CpuTime(live.Id);
        var held = await HeldConnections.OpenAsync(hub, token, executions, perClient, parallelism);
        cpu = ProcFs.CpuTime(live.Id) - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {held.Subscribed:N0} connections subscribed in {held.Elapsed.TotalSeconds:0.0} s: {held.Subscribed / held.Elapsed.TotalSeconds:N0} per second "
            + $"({Math.Ceiling(executions.Count / (double)perClient)} client processes, {parallelism} at once; Live's CPU {cpu.TotalSeconds:0.0} s, "
            + $"{cpu.TotalMilliseconds / Math.Max(1, held.Subscribed):0.00} ms per connection; load average {ProcFs.LoadAverage()})"));
        if (held.Failed > 0)
        {
            Console.WriteLine($"  {held.Failed:N0} failed; the first: {held.FirstError}");
        }

        var with = await MemoryAsync(live);
        Console.WriteLine($"  {held.Subscribed:N0} connections: {with}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  per connection: working set {(with.WorkingSet - before.WorkingSet) / 1024.0 / held.Subscribed:0.0} KiB, "
            + $"GC heap {(with.GcHeap - before.GcHeap) / 1024.0 / held.Subscribed:0.0} KiB"));
        return held;
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
