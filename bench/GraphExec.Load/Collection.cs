using System.Net.Http.Json;
using System.Text.Json;

namespace GraphExec.Load;

/// <summary>Reads the executions back through the Api, as their owners: waits for them to end, then lists them all.</summary>
public static class Collection
{
    private static readonly string[] Unfinished = ["Queued", "Running"];

    /// <summary>
    /// Waits until no tenant has a Queued or Running execution, or the time is up; true when all ended. Nothing is fired
    /// any more, so a tenant found idle stays idle: the tenants are asked one at a time, and while one is busy only it is
    /// asked again, so that the harness' own reads add little to the CPU it measures.
    /// </summary>
    public static async Task<bool> WaitForEndAsync(IReadOnlyList<Tenant> tenants, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var waiting = new Queue<Tenant>(tenants);
        try
        {
            while (waiting.TryPeek(out var tenant))
            {
                if (await HasUnfinishedAsync(tenant, deadline.Token))
                {
                    await Task.Delay(200, deadline.Token);
                }
                else
                {
                    waiting.Dequeue();
                }
            }

            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Every execution of every tenant's graph, by id, through keyset pages of 200.</summary>
    public static async Task<Dictionary<Guid, ExecutionRecord>> ListAsync(IReadOnlyList<Tenant> tenants, CancellationToken cancellationToken)
    {
        var pages = await Task.WhenAll(tenants.Select(tenant => ListAsync(tenant, cancellationToken)));
        return pages.SelectMany(p => p).ToDictionary(e => e.Id);
    }

    /// <summary>Reads up to <paramref name="sample"/> executions, spread evenly over the run, for their nodes' start times.</summary>
    public static async Task ReadNodesAsync(
        IReadOnlyList<(Tenant Tenant, ExecutionRecord Execution)> executions, int sample, CancellationToken cancellationToken)
    {
        if (sample <= 0 || executions.Count == 0)
        {
            return;
        }

        var step = Math.Max(1.0, (double)executions.Count / sample);
        var chosen = Enumerable.Range(0, Math.Min(sample, executions.Count)).Select(i => executions[(int)(i * step)]).ToList();
        await Parallel.ForEachAsync(chosen, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                var nodes = await ReadAllNodesAsync(item.Tenant, item.Execution.Id, token);
                item.Execution.FirstNodeStartedAt = nodes
                    .Select(n => n.GetProperty("startedAt"))
                    .Where(s => s.ValueKind == JsonValueKind.String)
                    .Select(s => (DateTimeOffset?)s.GetDateTimeOffset())
                    .Min();
            });
    }

    /// <summary>Every node result of an execution: the first page comes with the execution, the rest from its node pages.</summary>
    private static async Task<List<JsonElement>> ReadAllNodesAsync(Tenant tenant, Guid executionId, CancellationToken cancellationToken)
    {
        var execution = await GetAsync(tenant, $"/api/executions/{executionId}", cancellationToken);
        var nodes = execution.GetProperty("nodes").EnumerateArray().ToList();
        var cursor = execution.GetProperty("nodesNextCursor").GetString();
        while (cursor is not null)
        {
            var page = await GetAsync(tenant, $"/api/executions/{executionId}/nodes?limit=500&cursor={Uri.EscapeDataString(cursor)}", cancellationToken);
            nodes.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }

        return nodes;
    }

    private static async Task<bool> HasUnfinishedAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        foreach (var status in Unfinished)
        {
            var page = await GetAsync(tenant, $"/api/executions?graphId={tenant.GraphId}&status={status}&limit=1", cancellationToken);
            if (page.GetProperty("items").GetArrayLength() > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<List<ExecutionRecord>> ListAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var records = new List<ExecutionRecord>();
        string? cursor = null;
        do
        {
            var page = await GetAsync(tenant,
                $"/api/executions?graphId={tenant.GraphId}&limit=200{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}",
                cancellationToken);
            records.AddRange(page.GetProperty("items").EnumerateArray().Select(item => new ExecutionRecord(
                item.GetProperty("id").GetGuid(),
                item.GetProperty("status").GetString()!,
                item.GetProperty("queuedAt").GetDateTimeOffset(),
                Time(item, "startedAt"),
                Time(item, "finishedAt"))));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);

        return records;
    }

    private static DateTimeOffset? Time(JsonElement item, string name) =>
        item.GetProperty(name).ValueKind == JsonValueKind.String ? item.GetProperty(name).GetDateTimeOffset() : null;

    /// <summary>GET as the tenant; waits out the Api's per-user rate limit and a database restart (429 or 503 with Retry-After).</summary>
    private static async Task<JsonElement> GetAsync(Tenant tenant, string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await tenant.Api.GetAsync(path, cancellationToken);
            if (response.StatusCode is System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.ServiceUnavailable)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
    }
}
