using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>Every list pages newest first through opaque cursors, and a bad cursor or limit answers 400 naming it.</summary>
public sealed class Paging_through_lists
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task SignInAsync() => _client = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Should_page_through_versions_newest_first_by_number()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        for (var i = 2; i <= 5; i++)
        {
            (await _client.PutAsync($"/api/graphs/{graph}", Graphs.Json(Graphs.Named($"Version {i}")))).EnsureSuccessStatusCode();
        }

        var pages = await PageThroughAsync($"/api/graphs/{graph}/versions?limit=2");

        Assert.That(pages.Select(page => page.Select(v => v.GetProperty("version").GetInt32())), Is.EqualTo(new[] { new[] { 5, 4 }, [3, 2], [1] }));
    }

    [TestCase("schedules")]
    [TestCase("webhooks")]
    [TestCase("executions")]
    public async Task Should_page_through_a_graphs_items_newest_first(string list)
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        var created = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await CreateAsync(list, graph));
        }

        var pages = await PageThroughAsync(list == "executions" ? $"/api/executions?graphId={graph}&limit=2" : $"/api/graphs/{graph}/{list}?limit=2");

        Assert.That(pages.Select(page => page.Count), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(pages.SelectMany(page => page).Select(item => item.GetProperty("id").GetGuid()), Is.EqualTo(Enumerable.Reverse(created)));
    }

    [Test]
    public async Task Should_name_a_bad_cursor_or_limit_on_every_list()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });
        var webhook = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var lists = new[]
        {
            "/api/graphs", $"/api/graphs/{graph}/versions", "/api/executions", $"/api/graphs/{graph}/schedules",
            $"/api/graphs/{graph}/webhooks", $"/api/webhooks/{webhook}/deliveries",
        };
        var idCursor = Cursor(Guid.CreateVersion7().ToString());
        var versionCursor = Cursor("2");

        foreach (var list in lists)
        {
            // A cursor of the other kind of list was never given out by this one.
            var foreignCursor = list.EndsWith("/versions", StringComparison.Ordinal) ? idCursor : versionCursor;
            foreach (var (query, field) in new[]
            {
                ("limit=0", "limit"), ("limit=201", "limit"), ("cursor=not-a-cursor!", "cursor"), ($"cursor={foreignCursor}", "cursor"),
            })
            {
                using var response = await _client.GetAsync($"{list}?{query}");

                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"{list}?{query}");
                Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { field }), $"{list}?{query}");
            }
        }
    }

    [Test]
    public async Task Should_refuse_a_version_cursor_below_the_first_version()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);

        using var response = await _client.GetAsync($"/api/graphs/{graph}/versions?cursor={Cursor("0")}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "cursor" }));
    }

    [TestCase(1)]
    [TestCase(200)]
    public async Task Should_accept_a_limit_within_the_range(int limit)
    {
        await _client.SaveGraphAsync(Graphs.Greeting);
        await _client.SaveGraphAsync(Graphs.Greeting);

        using var response = await _client.GetAsync($"/api/graphs?limit={limit}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.EqualTo(Math.Min(limit, 2)));
        Assert.That(page.GetProperty("nextCursor").ValueKind, Is.EqualTo(limit < 2 ? JsonValueKind.String : JsonValueKind.Null));
    }

    /// <summary>A cursor as the Api makes them, for a key it never gave out.</summary>
    private static string Cursor(string key) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(key));

    private async Task<Guid> CreateAsync(string list, Guid graph)
    {
        using var response = list switch
        {
            "schedules" => await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "0 * * * *" }),
            "webhooks" => await _client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { }),
            _ => await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { who = "Ada" } }),
        };
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.TryGetProperty("executionId", out var executionId) ? executionId : body.GetProperty("id")).GetGuid();
    }

    /// <summary>Every page of a list, following <c>nextCursor</c> until it is null.</summary>
    private async Task<List<List<JsonElement>>> PageThroughAsync(string firstPage)
    {
        var pages = new List<List<JsonElement>>();
        string? cursor = null;
        do
        {
            var page = await _client.GetFromJsonAsync<JsonElement>(cursor is null ? firstPage : $"{firstPage}&cursor={cursor}");
            pages.Add([.. page.GetProperty("items").EnumerateArray()]);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && pages.Count < 10);

        return pages;
    }
}
