using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>Owners create, list, change, pause, resume and delete schedules; each answer shows the next 5 fire times.</summary>
public sealed class Managing_schedules
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private HttpClient _client = null!;

    [SetUp]
    public async Task SignUpAsync() => _client = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void SignOut() => _client.Dispose();

    [Test]
    public async Task Should_create_a_schedule_with_its_next_five_fire_times_in_its_time_zone()
    {
        var graph = await CreateGraphAsync();

        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new
        {
            cron = "30 9 * * MON-FRI",
            timeZone = "Europe/Berlin",
            inputs = new { who = "Ada" },
            overlap = "skip",
            misfire = "skip",
        });
        var schedule = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = schedule.GetProperty("id").GetGuid();
        var fetched = await _client.GetFromJsonAsync<JsonElement>($"/api/schedules/{id}");
        var listed = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}/schedules");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/api/schedules/{id}"));
        Assert.That(schedule.GetProperty("graphId").GetGuid(), Is.EqualTo(graph));
        Assert.That(schedule.GetProperty("inputs").GetProperty("who").GetString(), Is.EqualTo("Ada"));
        Assert.That(schedule.GetProperty("enabled").GetBoolean(), Is.True);
        Assert.That(schedule.GetProperty("overlap").GetString(), Is.EqualTo("skip"));
        Assert.That(schedule.GetProperty("misfire").GetString(), Is.EqualTo("skip"));
        var times = schedule.GetProperty("nextFireTimes").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        Assert.That(times, Has.Count.EqualTo(5));
        Assert.That(times, Is.Ordered.Ascending);
        Assert.That(times, Has.All.Matches<DateTimeOffset>(t => t.Offset == TimeSpan.Zero && t > DateTimeOffset.UtcNow));
        var local = times.Select(t => TimeZoneInfo.ConvertTime(t, Berlin)).ToList();
        Assert.That(local.Select(t => t.TimeOfDay).Distinct(), Is.EqualTo(new[] { new TimeSpan(9, 30, 0) }));
        Assert.That(local.Select(t => t.DayOfWeek), Has.None.EqualTo(DayOfWeek.Saturday).And.None.EqualTo(DayOfWeek.Sunday));
        Assert.That(fetched.GetProperty("nextFireTimes").GetArrayLength(), Is.EqualTo(5));
        Assert.That(listed.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid(), Is.EqualTo(id));
    }

    [Test]
    public async Task Should_take_six_fields_with_seconds_and_default_to_utc_allow_and_fire_once()
    {
        var graph = await CreateGraphAsync();

        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "*/10 * * * * *" });
        var schedule = await created.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(schedule.GetProperty("timeZone").GetString(), Is.EqualTo("UTC"));
        Assert.That(schedule.GetProperty("overlap").GetString(), Is.EqualTo("allow"));
        Assert.That(schedule.GetProperty("misfire").GetString(), Is.EqualTo("fire-once"));
        var times = schedule.GetProperty("nextFireTimes").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        Assert.That(times.Zip(times.Skip(1), (a, b) => b - a), Has.All.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(times, Has.All.Matches<DateTimeOffset>(t => t.Second % 10 == 0 && t.Millisecond == 0));
    }

    [Test]
    public async Task Should_change_pause_resume_and_delete()
    {
        var graph = await CreateGraphAsync();
        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "0 * * * *" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var changed = await _client.PutAsJsonAsync($"/api/schedules/{id}",
            new { cron = "15 8 * * *", timeZone = "America/New_York", inputs = new { who = "Grace" }, overlap = "skip" });
        var afterChange = await changed.Content.ReadFromJsonAsync<JsonElement>();
        using var paused = await _client.PostAsync($"/api/schedules/{id}/pause", null);
        var afterPause = await paused.Content.ReadFromJsonAsync<JsonElement>();
        using var resumed = await _client.PostAsync($"/api/schedules/{id}/resume", null);
        var afterResume = await resumed.Content.ReadFromJsonAsync<JsonElement>();
        using var deleted = await _client.DeleteAsync($"/api/schedules/{id}");
        using var gone = await _client.GetAsync($"/api/schedules/{id}");

        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(afterChange.GetProperty("cron").GetString(), Is.EqualTo("15 8 * * *"));
        Assert.That(afterChange.GetProperty("inputs").GetProperty("who").GetString(), Is.EqualTo("Grace"));
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Assert.That(afterChange.GetProperty("nextFireTimes").EnumerateArray()
            .Select(t => TimeZoneInfo.ConvertTime(t.GetDateTimeOffset(), newYork).TimeOfDay).Distinct(),
            Is.EqualTo(new[] { new TimeSpan(8, 15, 0) }));
        Assert.That(afterPause.GetProperty("enabled").GetBoolean(), Is.False);
        Assert.That(afterPause.GetProperty("nextFireTimes").GetArrayLength(), Is.Zero);
        Assert.That(afterResume.GetProperty("enabled").GetBoolean(), Is.True);
        Assert.That(afterResume.GetProperty("nextFireTimes").GetArrayLength(), Is.EqualTo(5));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_answer_400_naming_every_field_at_fault_and_change_nothing()
    {
        var graph = await CreateGraphAsync();
        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "0 * * * *" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var allWrong = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new
        {
            cron = "61 * * * *",
            timeZone = "Mars/Olympus_Mons",
            inputs = new { nope = 1 },
            overlap = "sometimes",
            misfire = "later",
        });
        var problem = await allWrong.Content.ReadFromJsonAsync<JsonElement>();
        using var fourFields = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "* * * *" });
        using var noCron = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { timeZone = "UTC" });
        using var windowsZone = await _client.PutAsJsonAsync($"/api/schedules/{id}", new { cron = "5 * * * *", timeZone = "W. Europe Standard Time" });
        using var unknownInput = await _client.PutAsJsonAsync($"/api/schedules/{id}", new { cron = "5 * * * *", inputs = new { whom = "Ada" } });
        var unchanged = await _client.GetFromJsonAsync<JsonElement>($"/api/schedules/{id}");
        var listed = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}/schedules");

        Assert.That(allWrong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(allWrong.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(fields, Is.EquivalentTo(new[] { "/cron", "/timeZone", "/inputs/nope", "/overlap", "/misfire" }));
        Assert.That(problem.GetProperty("errors").GetProperty("/timeZone")[0].GetString(), Does.Contain("IANA"));
        Assert.That(await ErrorFieldsAsync(fourFields), Is.EqualTo(new[] { "/cron" }));
        Assert.That(await ErrorFieldsAsync(noCron), Is.EqualTo(new[] { "/cron" }));
        Assert.That(await ErrorFieldsAsync(windowsZone), Is.EqualTo(new[] { "/timeZone" }));
        Assert.That(await ErrorFieldsAsync(unknownInput), Is.EqualTo(new[] { "/inputs/whom" }));
        Assert.That(unchanged.GetProperty("cron").GetString(), Is.EqualTo("0 * * * *"));
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_preview_the_next_fire_times_of_a_cron_before_it_is_saved()
    {
        var preview = await _client.GetFromJsonAsync<JsonElement>(
            $"/api/schedules/preview?cron={Uri.EscapeDataString("30 9 * * MON-FRI")}&timeZone={Uri.EscapeDataString("Europe/Berlin")}");
        using var invalid = await _client.GetAsync($"/api/schedules/preview?cron={Uri.EscapeDataString("61 * * *")}&timeZone=Mars%2FOlympus_Mons");

        var times = preview.GetProperty("nextFireTimes").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        Assert.That(times, Has.Count.EqualTo(5));
        Assert.That(times, Is.Ordered.Ascending);
        Assert.That(times.Select(t => TimeZoneInfo.ConvertTime(t, Berlin).TimeOfDay).Distinct(), Is.EqualTo(new[] { new TimeSpan(9, 30, 0) }));
        Assert.That(await ErrorFieldsAsync(invalid), Is.EquivalentTo(new[] { "/cron", "/timeZone" }));
    }

    [Test]
    public async Task Should_answer_404_for_another_users_graph_or_schedule()
    {
        var graph = await CreateGraphAsync();
        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "0 * * * *" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var other = await TestRun.Api.NewUserAsync();

        var answers = new[]
        {
            await other.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "0 * * * *" }),
            await other.GetAsync($"/api/graphs/{graph}/schedules"),
            await other.GetAsync($"/api/schedules/{id}"),
            await other.PutAsJsonAsync($"/api/schedules/{id}", new { cron = "5 * * * *" }),
            await other.PostAsync($"/api/schedules/{id}/pause", null),
            await other.PostAsync($"/api/schedules/{id}/resume", null),
            await other.DeleteAsync($"/api/schedules/{id}"),
        };
        var stillThere = await _client.GetFromJsonAsync<JsonElement>($"/api/schedules/{id}");

        Assert.That(answers.Select(a => a.StatusCode), Has.All.EqualTo(HttpStatusCode.NotFound));
        Assert.That(stillThere.GetProperty("cron").GetString(), Is.EqualTo("0 * * * *"));
        Assert.That(stillThere.GetProperty("enabled").GetBoolean(), Is.True);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    private static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();
    }

    private Task<Guid> CreateGraphAsync() => _client.SaveGraphAsync(Graphs.Greeting);
}
