using System.Net;
using System.Net.Http.Json;
using GraphExec.Api.Features.Auth;

namespace GraphExec.Api.Tests;

public sealed class Limiting_request_rates
{
    [Test]
    public async Task Should_answer_429_with_retry_after_when_a_user_exceeds_the_budget()
    {
        await using var api = new ApiApp(new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "3" });
        using var client = await api.NewUserAsync();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10 && refused is null; i++)
        {
            var response = await client.GetAsync("/api/graphs");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }

        Assert.That(refused, Is.Not.Null, $"statuses: {string.Join(", ", statuses)}");
        Assert.That(refused!.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Should_limit_sign_in_attempts_per_client_address()
    {
        await using var api = new ApiApp(new Dictionary<string, string?> { ["RateLimiting:AuthPermitsPerMinute"] = "3" });
        using var client = api.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/auth/token", new Credentials("nobody", "a wrong password"));
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[]
        {
            HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests,
        }));
    }
}
