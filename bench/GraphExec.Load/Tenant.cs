using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Load;

/// <summary>One webhook of a tenant: where to send, and the secret to sign with.</summary>
public sealed record Hook(Tenant Tenant, Uri Url, string Secret);

/// <summary>One user of the load run: signed in, owning the 3-node Greeting graph and webhooks that run it.</summary>
public sealed class Tenant(HttpClient api, Guid graphId)
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(90);

    public HttpClient Api { get; } = api;

    public Guid GraphId { get; } = graphId;

    public List<Hook> Hooks { get; } = [];

    /// <summary>Signs up through the Api like a person would, then creates the graph and its webhooks.</summary>
    public static async Task<Tenant> CreateAsync(LoadOptions options, string runId, int index, CancellationToken cancellationToken)
    {
        var api = new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(30) };
        var credentials = new { username = $"load_{runId}_{index}", password = $"load passphrase {runId}" };
        (await SendAsync(() => api.PostAsJsonAsync("/api/auth/register", credentials, cancellationToken), "sign-up", cancellationToken)).Dispose();
        using var token = await SendAsync(() => api.PostAsJsonAsync("/api/auth/token", credentials, cancellationToken), "sign-in", cancellationToken);
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        using var graph = await SendAsync(
            () => api.PostAsync("/api/graphs", new StringContent(SampleGraphs.Greeting, Encoding.UTF8, "application/json"), cancellationToken),
            "graph creation", cancellationToken);
        var tenant = new Tenant(api, (await graph.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid());
        for (var i = 0; i < options.HooksPerUser; i++)
        {
            using var webhook = await SendAsync(
                () => api.PostAsJsonAsync($"/api/graphs/{tenant.GraphId}/webhooks", new { }, cancellationToken), "webhook creation", cancellationToken);
            var created = await webhook.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var url = new Uri(created.GetProperty("url").GetString()!);
            tenant.Hooks.Add(new Hook(tenant, Loopback.Require(options.Hooks is null ? url : new Uri(options.Hooks, url.AbsolutePath)),
                created.GetProperty("secret").GetString()!));
        }

        return tenant;
    }

    /// <summary>Sends until answered with success; waits out a 429 (sign-up is limited per address), fails on anything else.</summary>
    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, string what, CancellationToken cancellationToken)
    {
        while (true)
        {
            var response = await send();
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            if (response.StatusCode != HttpStatusCode.TooManyRequests || wait is null || wait > LongestWait)
            {
                throw new InvalidOperationException($"The {what} answered {(int)response.StatusCode}: {body}");
            }

            Console.WriteLine($"The {what} is rate limited; waiting {wait.Value.TotalSeconds:0} s");
            await Task.Delay(wait.Value, cancellationToken);
        }
    }
}
