using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Core.Data;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Api.Tests;

/// <summary>
/// <c>POST /api/live/tickets</c>: a short-lived token for Live alone, for a session or a personal access token that may read
/// executions. The Api refuses tickets, so that a read-only token cannot make itself a token of every scope.
/// </summary>
public sealed class Getting_live_tickets
{
    private HttpClient _owner = null!;

    [SetUp]
    public async Task SignUpAsync() => _owner = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void SignOut() => _owner.Dispose();

    [Test]
    public async Task Should_give_a_token_that_reads_executions_a_ticket_of_its_own_that_the_api_refuses()
    {
        var (id, token) = await CreateTokenAsync("executions:read");
        using var script = Sessions.ClientWith(TestRun.Api, token);

        using var answer = await script.PostAsync("/api/live/tickets", null);
        var ticket = await answer.Content.ReadFromJsonAsync<JsonElement>();
        var accessToken = ticket.GetProperty("accessToken").GetString()!;

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), ticket.ToString());
        Assert.That(ticket.GetProperty("expiresAt").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow.AddMinutes(15)).Within(TimeSpan.FromMinutes(1)));
        Assert.That(Sessions.ClaimOf(accessToken, "aud"), Is.EqualTo("graphexec/live"));
        Assert.That(Sessions.ClaimOf(accessToken, "sid"), Is.EqualTo(id.ToString()), "revoking the token ends its tickets");
        Assert.That(Sessions.ClaimOf(accessToken, "sub"), Is.EqualTo(ApiUsers.OwnerId(BearerOf(_owner)).ToString()));
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, accessToken), Is.EqualTo(401));
        using var withTicket = Sessions.ClientWith(TestRun.Api, accessToken);
        using var anotherTicket = await withTicket.PostAsync("/api/live/tickets", null);
        Assert.That(anotherTicket.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a ticket does not make tickets");
    }

    [Test]
    public async Task Should_refuse_a_token_that_cannot_read_executions_naming_the_scope()
    {
        var (_, token) = await CreateTokenAsync("graphs:read", "executions:write");
        using var script = Sessions.ClientWith(TestRun.Api, token);

        using var answer = await script.PostAsync("/api/live/tickets", null);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(answer.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem.GetProperty("scope").GetString(), Is.EqualTo("executions:read"));
    }

    [Test]
    public async Task Should_end_a_ticket_no_later_than_the_token_it_was_given_for()
    {
        var (id, token) = await CreateTokenAsync("executions:read");
        var tokenEnd = DateTimeOffset.UtcNow.AddMinutes(2);
        await using (var scope = TestRun.Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<GraphExecDbContext>().AccessTokens.Where(t => t.Id == id)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, tokenEnd));
        }

        using var script = Sessions.ClientWith(TestRun.Api, token);
        var ticket = await (await script.PostAsync("/api/live/tickets", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(ticket.GetProperty("expiresAt").GetDateTimeOffset(), Is.LessThanOrEqualTo(tokenEnd).And.GreaterThan(tokenEnd.AddSeconds(-2)));
    }

    [Test]
    public async Task Should_give_a_session_a_ticket_of_that_session()
    {
        var tokens = await Sessions.SignInAsync(TestRun.Api, await Sessions.SignUpAsync(TestRun.Api));
        using var person = Sessions.ClientWith(TestRun.Api, tokens.AccessToken);

        using var answer = await person.PostAsync("/api/live/tickets", null);
        var ticket = await answer.Content.ReadFromJsonAsync<JsonElement>();
        var accessToken = ticket.GetProperty("accessToken").GetString()!;

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Sessions.ClaimOf(accessToken, "sid"), Is.EqualTo(Sessions.ClaimOf(tokens.AccessToken, "sid")), "signing out ends it");
        Assert.That(ticket.GetProperty("expiresAt").GetDateTimeOffset(), Is.LessThanOrEqualTo(tokens.ExpiresAt));
    }

    private async Task<(Guid Id, string Token)> CreateTokenAsync(params string[] scopes)
    {
        using var created = await _owner.PostAsJsonAsync("/api/tokens", new { name = "watcher", scopes, expiresInDays = 1 });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var token = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (token.GetProperty("id").GetGuid(), token.GetProperty("token").GetString()!);
    }

    private static string BearerOf(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;
}
