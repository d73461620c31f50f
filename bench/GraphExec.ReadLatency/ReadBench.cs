using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GraphExec.Testing;
using Npgsql;

namespace GraphExec.ReadLatency;

/// <summary>
/// Starts the Api (a Release build, as a process of its own) on a database, virtual host and key prefix of its own, signs
/// up the owners and saves their graphs through it, then for each size: grows the stored executions to that size by SQL
/// and times each kind of read, one request at a time, so that what is measured is one read's latency, not a queue.
/// </summary>
public static class ReadBench
{
    private const string SigningKey = "bench-signing-key-of-at-least-thirty-two-characters";
    private const int GraphsPerUser = 10;
    private const int WarmUpRequests = 100;
    private const int Sampled = 5_000;

    public static async Task RunAsync(ReadBenchOptions options)
    {
        await using var servers = await TestServers.StartAsync();
        await using var isolated = await servers.IsolateAsync("read_bench");
        var settings = new Dictionary<string, string>(isolated.ServiceSettings())
        {
            ["Jwt:SigningKey"] = SigningKey,
            ["RateLimiting:PermitsPerSecond"] = "100000",
            ["RateLimiting:AuthPermitsPerMinute"] = "10000",
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        };
        using var api = await ServiceProcess.StartAsync("GraphExec.Api", settings);
        await using var database = NpgsqlDataSource.Create(isolated.Connections.Database);
        var seeding = new Seeding(database);

        var owners = new Dictionary<Guid, HttpClient>();
        var graphs = new List<(Guid OwnerId, Guid GraphId)>();
        for (var u = 0; u < options.Users; u++)
        {
            var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var ownerId = ApiUsers.OwnerId(await ApiUsers.SignUpAsync(client));
            owners[ownerId] = client;
            for (var g = 0; g < GraphsPerUser; g++)
            {
                using var saved = await client.PostAsync("/api/graphs", new StringContent(SampleGraphs.Greeting, Encoding.UTF8, "application/json"));
                saved.EnsureSuccessStatusCode();
                graphs.Add((ownerId, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
            }
        }

        await seeding.RecordGraphsAsync(graphs);
        Console.WriteLine($"Api process {api.Id}; {options.Users} owners, {graphs.Count} graphs; {options.Requests:N0} timed requests per read, one at a time.");

        var stored = 0;
        IReadOnlyList<(Guid OwnerId, Guid ExecutionId)>? largeRuns = null;
        var table = new StringBuilder("| stored executions | read | p50 (ms) | p99 (ms) | load average before → after |\n| ---: | --- | ---: | ---: | --- |\n");
        foreach (var size in options.Sizes)
        {
            var took = await seeding.GrowAsync(stored, size);
            largeRuns ??= await seeding.AddLargeRunsAsync();
            await seeding.VacuumAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size:N0} executions stored ({size - stored:N0} added with {3 * (size - stored):N0} node results in {took.TotalSeconds:0.0} s)"));
            stored = size;

            var sample = await seeding.SampleAsync(Sampled);
            var reads = Reads(owners, sample, largeRuns);
            if (options.Explain)
            {
                await ExplainAsync(seeding, sample[0], largeRuns.Single(r => r.OwnerId == sample[0].OwnerId).ExecutionId);
            }

            foreach (var (name, next) in reads)
            {
                var before = LoadAverage();
                var latencies = await TimeAsync(next, options.Requests);
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"| {size:N0} | {name} | {Percentile(latencies, 0.50):0.0} | {Percentile(latencies, 0.99):0.0} | {before} → {LoadAverage()} |");
                Console.WriteLine(line);
                table.AppendLine(line);
            }
        }

        Console.WriteLine();
        Console.Write(table);
        foreach (var client in owners.Values)
        {
            client.Dispose();
        }
    }

    /// <summary>Each kind of read, as a source of its next request (owner and path), picked at random from the sample.</summary>
    private static List<(string Name, Func<(HttpClient Client, string Path)> Next)> Reads(
        Dictionary<Guid, HttpClient> owners,
        IReadOnlyList<(Guid OwnerId, Guid ExecutionId, Guid GraphId)> sample,
        IReadOnlyList<(Guid OwnerId, Guid ExecutionId)> largeRuns)
    {
        var random = new Random(7);
        (Guid OwnerId, Guid ExecutionId, Guid GraphId) Pick() => sample[random.Next(sample.Count)];
        var ownerIds = owners.Keys.ToArray();
        HttpClient AnyOwner() => owners[ownerIds[random.Next(ownerIds.Length)]];

        return
        [
            ("graph", () => Pick() is var e ? (owners[e.OwnerId], $"/api/graphs/{e.GraphId}") : default),
            ("execution with its first node page", () => Pick() is var e ? (owners[e.OwnerId], $"/api/executions/{e.ExecutionId}") : default),
            ("node page (100 of 1,003, from a cursor)", () =>
            {
                var run = largeRuns[random.Next(largeRuns.Count)];
                var after = Cursor($"n{random.Next(Seeding.LargeRunNodes - 100):D4}");
                return (owners[run.OwnerId], $"/api/executions/{run.ExecutionId}/nodes?cursor={after}");
            }),
            ("executions, newest", () => (AnyOwner(), "/api/executions")),
            ("executions by graph", () => Pick() is var e ? (owners[e.OwnerId], $"/api/executions?graphId={e.GraphId}") : default),
            ("executions by status (Failed, 2 %)", () => (AnyOwner(), "/api/executions?status=Failed")),
            ("executions by trigger (webhook)", () => (AnyOwner(), "/api/executions?trigger=webhook")),
            ("executions by graph and status (Failed)", () => Pick() is var e ? (owners[e.OwnerId], $"/api/executions?graphId={e.GraphId}&status=Failed") : default),
            ("executions, a page deep in the list (cursor)", () =>
                Pick() is var e ? (owners[e.OwnerId], $"/api/executions?cursor={Cursor(e.ExecutionId.ToString())}") : default),
        ];
    }

    private static async Task<double[]> TimeAsync(Func<(HttpClient Client, string Path)> next, int requests)
    {
        var latencies = new double[requests];
        for (var i = -WarmUpRequests; i < requests; i++)
        {
            var (client, path) = next();
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
            }

            if (i >= 0)
            {
                latencies[i] = elapsed;
            }
        }

        Array.Sort(latencies);
        return latencies;
    }

    /// <summary>The plans of the list pages as the Api's queries shape them (owner first, keyset last, one row more than the page).</summary>
    private static async Task ExplainAsync(Seeding seeding, (Guid OwnerId, Guid ExecutionId, Guid GraphId) e, Guid largeRun)
    {
        const string Columns = "SELECT id, graph_id, graph_version, trigger, status, error, queued_at, started_at, finished_at FROM executions";
        var queries = new (string Name, string Sql)[]
        {
            ("newest", $"{Columns} WHERE owner_id = @owner ORDER BY id DESC LIMIT 51"),
            ("by graph", $"{Columns} WHERE owner_id = @owner AND graph_id = @graph ORDER BY id DESC LIMIT 51"),
            ("by status", $"{Columns} WHERE owner_id = @owner AND status = 3 ORDER BY id DESC LIMIT 51"),
            ("by trigger", $"{Columns} WHERE owner_id = @owner AND trigger = 1 ORDER BY id DESC LIMIT 51"),
            ("by graph and status", $"{Columns} WHERE owner_id = @owner AND graph_id = @graph AND status = 3 ORDER BY id DESC LIMIT 51"),
            ("by status and trigger (filtered)", $"{Columns} WHERE owner_id = @owner AND status = 3 AND trigger = 1 ORDER BY id DESC LIMIT 51"),
            ("deep page", $"{Columns} WHERE owner_id = @owner AND id < @execution ORDER BY id DESC LIMIT 51"),
            ("node page", "SELECT * FROM node_executions WHERE owner_id = @owner AND execution_id = @run AND node_id > 'n0500' ORDER BY node_id LIMIT 101"),
        };
        foreach (var (name, sql) in queries)
        {
            var plan = await seeding.ExplainAsync(sql, ("owner", e.OwnerId), ("graph", e.GraphId), ("execution", e.ExecutionId), ("run", largeRun));
            Console.WriteLine($"  EXPLAIN {name}:{Environment.NewLine}    {string.Join(Environment.NewLine + "    ", plan)}");
        }
    }

    private static string Cursor(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static double Percentile(double[] sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
