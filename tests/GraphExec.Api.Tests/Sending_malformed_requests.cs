using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>
/// A corpus of malformed requests generated from the Api's own OpenAPI document, sent as a careless or hostile client
/// would: for every operation, bad path ids, bad query values, and bodies that are not JSON, are the wrong JSON, or hold
/// text that cannot be stored. None may answer 5xx or drop the connection, and the Api serves an ordinary request after.
/// </summary>
public sealed class Sending_malformed_requests
{
    private static readonly string[] BadIds =
    [
        "not-a-guid", "00000000-0000-0000-0000-000000000000", new string('9', 300), "%2500", "..%2F..%2Fetc", "%F0%9F%98%80", "-1",
    ];

    private static readonly string[] BadQueryValues = ["-1", "0", "99999999999999999999", "abc", "%00", new string('x', 2000), "%ED%A0%80", "[]"];

    private static readonly (string ContentType, string Body)[] BadBodies =
    [
        ("application/json", ""),
        ("application/json", "null"),
        ("application/json", "[]"),
        ("application/json", "\"text\""),
        ("application/json", "42"),
        ("application/json", "{"),
        ("application/json", "{\"a\":1,}"),
        ("application/json", "1e99999"),
        ("application/json", "{\"name\":\"\\u0000\"}"),
        ("application/json", "{\"name\":\"\\ud800\"}"),
        ("application/json", "{\"\\udc00\":1}"),
        ("application/json", new string('[', 2000) + new string(']', 2000)),
        ("application/json", "{\"inputs\":\"not an object\",\"cron\":7,\"nodes\":{},\"edges\":\"x\",\"name\":[],\"username\":{},\"password\":[]}"),
        ("application/json", "{\"inputs\":{\"who\":{\"deep\":[1,2,{\"x\":\"\\u0000\"}]}},\"live\":\"yes\"}"),
        ("text/plain", "{\"name\":\"x\"}"),
        ("application/xml", "<graph/>"),
        ("application/x-www-form-urlencoded", "name=x&nodes=1"),
        ("application/json; charset=latin1", "{\"name\":\"\xe9\"}"),
    ];

    [Test]
    public async Task Should_answer_every_one_below_500_and_keep_serving()
    {
        // A budget the corpus cannot exhaust, so that every request reaches its endpoint instead of the rate limiter.
        await using var api = new ApiApp(new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "100000", ["RateLimiting:Burst"] = "100000" });
        using var client = await api.NewUserAsync();
        var graph = await client.SaveGraphAsync(Graphs.Greeting);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var requests = Corpus(document.RootElement, graph).ToList();
        var failures = new List<string>();
        var limited = 0;
        foreach (var (method, url, content) in requests)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
            try
            {
                using var response = await client.SendAsync(request);
                limited += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{method} {url} {content?.Headers.ContentType} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException exception)
            {
                failures.Add($"{method} {url} → connection failed: {exception.Message}");
            }
        }

        Assert.That(requests, Has.Count.GreaterThanOrEqualTo(300));
        Assert.That(failures, Is.Empty);
        Assert.That(limited, Is.Zero, "every request reached its endpoint");
        using var ordinary = await client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { who = "Ada" } });
        Assert.That(ordinary.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    /// <summary>For each operation of the document: its path with bad ids, its query with bad values, and bad bodies when it takes one.</summary>
    private static IEnumerable<(string Method, string Url, HttpContent? Content)> Corpus(JsonElement openApi, Guid graph)
    {
        // Signing out would end the client's own session halfway through; Signing_out and Using_personal_access_tokens
        // send those endpoints what a client may.
        foreach (var path in openApi.GetProperty("paths").EnumerateObject().Where(path => !path.Name.StartsWith("/api/auth/sign-out", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                var realPath = path.Name.Replace("{id}", graph.ToString(), StringComparison.Ordinal);
                foreach (var id in BadIds)
                {
                    yield return (method, path.Name.Replace("{id}", id, StringComparison.Ordinal), Body(BadBodies[^6]));
                }

                if (operation.Value.TryGetProperty("parameters", out var parameters))
                {
                    foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
                    {
                        foreach (var value in BadQueryValues)
                        {
                            yield return (method, $"{realPath}?{parameter.GetProperty("name").GetString()}={value}", null);
                        }
                    }
                }

                if (method is "POST" or "PUT" or "PATCH")
                {
                    foreach (var body in BadBodies)
                    {
                        yield return (method, realPath, Body(body));
                    }
                }
            }
        }
    }

    private static StringContent Body((string ContentType, string Body) body)
    {
        var content = new StringContent(body.Body, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        return content;
    }
}
