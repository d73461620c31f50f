using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace GraphExec.Testing;

/// <summary>
/// What a user does through the Api, with an <see cref="HttpClient"/> signed in as that user: sign up, save a graph,
/// run it and await its end. Each test signs up users of its own, so that tests never share data.
/// </summary>
public static class ApiUsers
{
    public const string Password = "correct horse battery staple";

    private static int s_users;

    /// <summary>
    /// Registers a new user of its own through <paramref name="client"/>, signs in, and makes the client send the token.
    /// </summary>
    /// <returns>The access token.</returns>
    public static async Task<string> SignUpAsync(HttpClient client)
    {
        var credentials = new { username = $"u{Interlocked.Increment(ref s_users)}_{Guid.NewGuid():N}", password = Password };
        (await client.PostAsJsonAsync("/api/auth/register", credentials)).EnsureSuccessStatusCode();
        using var response = await client.PostAsJsonAsync("/api/auth/token", credentials);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }

    /// <summary>The token's <c>sub</c>: the owner id of everything its user makes.</summary>
    public static Guid OwnerId(string token) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement.GetProperty("sub").GetGuid();

    /// <summary>Saves a new graph from its JSON document.</summary>
    /// <returns>The graph's id.</returns>
    public static async Task<Guid> SaveGraphAsync(this HttpClient user, string definition)
    {
        using var created = await user.PostAsync("/api/graphs", new StringContent(definition, Encoding.UTF8, "application/json"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Runs the graph's newest version with <paramref name="inputs"/> (an object of input names), as Run does.</summary>
    /// <returns>The execution's id (Queued).</returns>
    public static async Task<Guid> StartExecutionAsync(this HttpClient user, Guid graphId, object? inputs = null, bool live = false)
    {
        using var run = await user.PostAsJsonAsync($"/api/graphs/{graphId}/executions", new { inputs = inputs ?? new { }, live });
        Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await run.Content.ReadAsStringAsync());
        return (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
    }

    /// <summary>The execution as <c>GET /api/executions/{id}</c> answers it, once it has ended (whichever way).</summary>
    public static Task<JsonElement> WaitForExecutionEndAsync(this HttpClient user, Guid executionId, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => user.GetFromJsonAsync<JsonElement>($"/api/executions/{executionId}"),
            execution => execution.GetProperty("status").GetString() is not ("Queued" or "Running"),
            $"execution {executionId} to end",
            timeout,
            execution => execution.ToString());
}
