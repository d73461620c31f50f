using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Api.Features.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

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
            using var response = await client.PostAsJsonAsync("/api/auth/token", new Credentials($"nobody_{Guid.NewGuid():N}", "a wrong password"));
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[]
        {
            HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests,
        }));
    }

    [Test]
    public async Task Should_count_sign_ins_under_the_address_a_trusted_proxy_forwards_and_ignore_the_header_from_anyone_else()
    {
        await using var api = new ApiApp(new Dictionary<string, string?> { ["RateLimiting:AuthPermitsPerMinute"] = "3" });
        var loopback = IPAddress.Loopback;
        var stranger = IPAddress.Parse("198.51.100.7");

        // The Web (a trusted proxy on loopback) signing in two people: each has a budget of their own.
        var first = await SignInAttemptsAsync(api, loopback, "203.0.113.1", 4);
        var second = await SignInAttemptsAsync(api, loopback, "203.0.113.2", 1);
        // A client that is no proxy cannot pick the address it is counted under.
        var spoofed = await SignInAttemptsAsync(api, stranger, "203.0.113.3", 3);
        var spoofedAgain = await SignInAttemptsAsync(api, stranger, "203.0.113.4", 1);

        Assert.That(first, Is.EqualTo(new[] { 401, 401, 401, 429 }));
        Assert.That(second, Is.EqualTo(new[] { 401 }));
        Assert.That(spoofed, Is.EqualTo(new[] { 401, 401, 401 }));
        Assert.That(spoofedAgain, Is.EqualTo(new[] { 429 }));
    }

    private static async Task<int[]> SignInAttemptsAsync(ApiApp api, IPAddress from, string forwardedFor, int attempts)
    {
        var statuses = new int[attempts];
        for (var i = 0; i < attempts; i++)
        {
            var context = await api.Server.SendAsync(request =>
            {
                request.Connection.RemoteIpAddress = from;
                request.Request.Method = HttpMethods.Post;
                request.Request.Scheme = "http";
                request.Request.Host = new HostString("localhost");
                request.Request.Path = "/api/auth/token";
                request.Request.Headers["X-Forwarded-For"] = forwardedFor;
                request.Request.ContentType = "application/json";
                // A name of its own each time: a name that keeps failing waits (see Signing_up_and_in), whatever the address.
                var body = JsonSerializer.SerializeToUtf8Bytes(new Credentials($"nobody_{Guid.NewGuid():N}", "a wrong password"));
                request.Request.ContentLength = body.Length;
                request.Request.Body = new MemoryStream(body);
                request.Features.Set<IHttpRequestBodyDetectionFeature>(new WithBody());
            });
            statuses[i] = context.Response.StatusCode;
        }

        return statuses;
    }

    private sealed class WithBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }
}
