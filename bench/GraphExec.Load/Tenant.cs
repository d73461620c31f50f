using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Load;

/// <summary>One user of the load run: signed in, owning the 3-node Greeting graph and a webhook that runs it.</summary>
public sealed record Tenant(string Username, HttpClient Api, Guid GraphId, Uri HookUrl, string Secret)
{
    /// <summary>Signs up through the Api like a person would, then creates the graph and its webhook.</summary>
    public static async Task<Tenant> CreateAsync(LoadOptions options, string runId, int index, CancellationToken cancellationToken)
    {
        var api = new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(30) };
        var credentials = new { username = $"load_{runId}_{index}", password = $"load passphrase {runId}" };
        await ExpectAsync(api.PostAsJsonAsync("/api/auth/register", credentials, cancellationToken), "sign-up");
        using var token = await ExpectAsync(api.PostAsJsonAsync("/api/auth/token", credentials, cancellationToken), "sign-in");
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        using var graph = await ExpectAsync(
            api.PostAsync("/api/graphs", new StringContent(SampleGraphs.Greeting, Encoding.UTF8, "application/json"), cancellationToken),
            "graph creation");
        var graphId = (await graph.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
        using var webhook = await ExpectAsync(api.PostAsJsonAsync($"/api/graphs/{graphId}/webhooks", new { }, cancellationToken), "webhook creation");
        var created = await webhook.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var url = new Uri(created.GetProperty("url").GetString()!);
        var hookUrl = Loopback.Require(options.Hooks is null ? url : new Uri(options.Hooks, url.AbsolutePath));
        return new Tenant(credentials.username, api, graphId, hookUrl, created.GetProperty("secret").GetString()!);
    }

    private static async Task<HttpResponseMessage> ExpectAsync(Task<HttpResponseMessage> sending, string what)
    {
        var response = await sending;
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"The {what} answered {(int)response.StatusCode}: {body}");
        }

        return response;
    }
}
