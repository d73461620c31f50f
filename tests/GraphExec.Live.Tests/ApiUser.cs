using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Live.Tests;

/// <summary>A new user of the Api with a graph of their own, who starts runs of it.</summary>
public sealed class ApiUser : IDisposable
{
    private readonly HttpClient _client;

    private ApiUser(HttpClient client, string token)
    {
        _client = client;
        Token = token;
    }

    public string Token { get; }

    /// <summary>The token's <c>sub</c>: the owner id of everything this user makes.</summary>
    public Guid OwnerId => ApiUsers.OwnerId(Token);

    public static async Task<ApiUser> SignUpAsync()
    {
        var client = new HttpClient { BaseAddress = TestRun.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return new ApiUser(client, await ApiUsers.SignUpAsync(client));
    }

    /// <summary>Saves the Welcome graph (or <paramref name="definition"/>) and runs it for Ada.</summary>
    /// <returns>The execution's id (Queued).</returns>
    public async Task<Guid> RunWelcomeAsync(bool live, string definition = SampleGraphs.Welcome) =>
        await RunAsync(await SaveGraphAsync(definition), live);

    /// <summary>Saves <paramref name="definition"/> as a new graph.</summary>
    public Task<Guid> SaveGraphAsync(string definition) => _client.SaveGraphAsync(definition);

    /// <summary>Runs the graph's newest version with <paramref name="inputs"/>, for Ada when not given.</summary>
    /// <returns>The execution's id (Queued).</returns>
    public Task<Guid> RunAsync(Guid graphId, bool live = true, object? inputs = null) =>
        _client.StartExecutionAsync(graphId, inputs ?? new { who = "Ada" }, live);

    /// <summary>Ends the session of <see cref="Token"/> at the Api.</summary>
    public async Task SignOutAsync()
    {
        using var response = await _client.PostAsync("/api/auth/sign-out", null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Creates a personal access token of this user with <paramref name="scopes"/>.</summary>
    public async Task<(Guid Id, string Token)> CreateAccessTokenAsync(params string[] scopes)
    {
        using var created = await _client.PostAsJsonAsync("/api/tokens", new { name = "watcher", scopes, expiresInDays = 1 });
        created.EnsureSuccessStatusCode();
        var token = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (token.GetProperty("id").GetGuid(), token.GetProperty("token").GetString()!);
    }

    /// <summary>Revokes the personal access token <paramref name="id"/> at the Api.</summary>
    public async Task RevokeAccessTokenAsync(Guid id)
    {
        using var response = await _client.DeleteAsync($"/api/tokens/{id}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A Live ticket from the Api for <paramref name="bearer"/> (a session's token or a personal access token).</summary>
    public static async Task<string> LiveTicketAsync(string bearer)
    {
        using var client = new HttpClient { BaseAddress = TestRun.Api.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await client.PostAsync("/api/live/tickets", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Waits until the execution has ended, whichever way.</summary>
    public Task WaitForEndAsync(Guid executionId) => _client.WaitForExecutionEndAsync(executionId);

    public void Dispose() => _client.Dispose();
}
