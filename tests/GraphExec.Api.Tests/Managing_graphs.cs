using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

public sealed class Managing_graphs
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task SignInAsync() => _client = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Should_create_read_update_and_delete_a_graph()
    {
        using var created = await _client.PostAsync("/api/graphs", Graphs.Json(Graphs.Greeting));
        var graph = await ReadAsync(created);
        var id = graph.GetProperty("id").GetGuid();

        using var read = await _client.GetAsync($"/api/graphs/{id}");
        using var updated = await _client.PutAsync($"/api/graphs/{id}", Graphs.Json(Graphs.Named("Greeting v2")));
        var second = await ReadAsync(updated);
        using var deleted = await _client.DeleteAsync($"/api/graphs/{id}");
        using var afterDelete = await _client.GetAsync($"/api/graphs/{id}");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/api/graphs/{id}"));
        Assert.That(graph.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(graph.GetProperty("definition").GetProperty("nodes").GetArrayLength(), Is.EqualTo(3));
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That(second.GetProperty("name").GetString(), Is.EqualTo("Greeting v2"));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(afterDelete.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_keep_every_version_unchanged()
    {
        var id = await CreateAsync(Graphs.Greeting);
        (await _client.PutAsync($"/api/graphs/{id}", Graphs.Json(Graphs.Named("Second")))).EnsureSuccessStatusCode();
        (await _client.PutAsync($"/api/graphs/{id}", Graphs.Json(Graphs.Named("Third")))).EnsureSuccessStatusCode();

        var versions = await (await _client.GetAsync($"/api/graphs/{id}/versions")).Content.ReadFromJsonAsync<JsonElement>();
        var first = await (await _client.GetAsync($"/api/graphs/{id}/versions/1")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(versions.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()), Is.EqualTo(new[] { 3, 2, 1 }));
        Assert.That(first.GetProperty("definition").GetProperty("name").GetString(), Is.EqualTo("Greeting"));
    }

    [Test]
    public async Task Should_give_concurrent_saves_distinct_versions()
    {
        var id = await CreateAsync(Graphs.Greeting);

        var saves = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => _client.PutAsync($"/api/graphs/{id}", Graphs.Json(Graphs.Named($"Save {i}")))));
        var versions = await (await _client.GetAsync($"/api/graphs/{id}/versions")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(saves.Select(save => save.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
        Assert.That(versions.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()), Is.EqualTo(new[] { 6, 5, 4, 3, 2, 1 }));
    }

    [Test]
    public async Task Should_page_through_graphs_newest_first()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateAsync(Graphs.Named($"Paged {i}")));
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await _client.GetAsync($"/api/graphs?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).Content.ReadFromJsonAsync<JsonElement>();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(ids).ToList()));
        Assert.That(pages, Is.EqualTo(3));
    }

    [Test]
    public async Task Should_find_graphs_by_name()
    {
        await CreateAsync(Graphs.Named("Invoice sync"));
        await CreateAsync(Graphs.Named("Welcome mail"));

        var page = await (await _client.GetAsync("/api/graphs?search=INVOICE")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(page.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()), Is.EqualTo(new[] { "Invoice sync" }));
    }

    [TestCase("/api/graphs?limit=0", "limit")]
    [TestCase("/api/graphs?limit=1000", "limit")]
    [TestCase("/api/graphs?cursor=not-a-cursor!", "cursor")]
    [TestCase("/api/executions?status=Sleeping", "status")]
    [TestCase("/api/executions?trigger=email", "trigger")]
    public async Task Should_name_a_bad_query_parameter(string url, string field)
    {
        using var response = await _client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { field }));
    }

    [Test]
    public async Task Should_list_every_problem_of_an_invalid_graph_at_its_location()
    {
        using var response = await _client.PostAsync("/api/graphs", Graphs.Json(Graphs.Broken));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.SupersetOf(new[] { "/nodes/1/block", "/nodes/2/id", "/edges/0/to" }));
        var page = await (await _client.GetAsync("/api/graphs")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.Zero, "nothing was saved");
    }

    [Test]
    public async Task Should_point_at_malformed_json()
    {
        using var response = await _client.PostAsync("/api/graphs", Graphs.Json("{ \"name\": \"x\", "));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "" }));
    }

    [Test]
    public async Task Should_refuse_a_body_that_is_not_json()
    {
        using var response = await _client.PostAsync("/api/graphs", new StringContent(Graphs.Greeting, System.Text.Encoding.UTF8, "text/plain"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task Should_refuse_an_oversized_body_without_saving_it()
    {
        var huge = Graphs.Greeting.Replace("\"Greeting\"", $"\"{new string('x', 9 * 1024 * 1024)}\"", StringComparison.Ordinal);

        using var response = await _client.PostAsync("/api/graphs", Graphs.Json(huge));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Should_serve_the_block_catalogue()
    {
        var blocks = await _client.GetFromJsonAsync<JsonElement>("/api/blocks");

        Assert.That(blocks.EnumerateArray().Select(b => b.GetProperty("name").GetString()),
            Is.SupersetOf(new[] { "input", "output", "template", "expression", "http", "branch", "foreach", "subgraph" }));
    }

    private Task<Guid> CreateAsync(string json) => _client.SaveGraphAsync(json);

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
