using System.Net;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;

namespace GraphExec.Web.Unit.Tests;

/// <summary>
/// The HTTP clients every service makes (the Web's calls to the Api among them) retry what is safe to retry, and nothing
/// else: a request that may have taken effect is not sent twice, and a 429 is not answered with more requests.
/// </summary>
public sealed class Retrying_calls_between_services
{
    private WebApplication _server = null!;
    private IHost _client = null!;
    private int _requests;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var server = WebApplication.CreateSlimBuilder();
        server.Logging.ClearProviders();
        server.WebHost.UseUrls("http://127.0.0.1:0");
        _server = server.Build();
        _server.Use((context, next) =>
        {
            Interlocked.Increment(ref _requests);
            return next(context);
        });
        _server.Map("/busy", () => Results.StatusCode(StatusCodes.Status429TooManyRequests));
        _server.Map("/broken", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await _server.StartAsync();

        var client = Host.CreateApplicationBuilder();
        client.Logging.ClearProviders();
        client.AddServiceDefaults();
        client.Services.AddHttpClient("api", http => http.BaseAddress = new Uri(_server.Urls.Single()));
        // Retries at once, so that the test does not wait for the back-off.
        client.Services.Configure<HttpStandardResilienceOptions>("api-standard", options => options.Retry.Delay = TimeSpan.Zero);
        _client = client.Build();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [TestCase("GET", "/busy", 1, TestName = "A 429 is not retried")]
    [TestCase("POST", "/busy", 1, TestName = "A 429 to a POST is not retried")]
    [TestCase("POST", "/broken", 1, TestName = "A POST that failed is not sent again")]
    [TestCase("DELETE", "/broken", 1, TestName = "A DELETE that failed is not sent again")]
    [TestCase("GET", "/broken", 4, TestName = "A GET that failed is retried three times")]
    public async Task Should_send_a_request(string method, string path, int times)
    {
        using var http = _client.Services.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        var before = Volatile.Read(ref _requests);

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.That(Volatile.Read(ref _requests) - before, Is.EqualTo(times));
        Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
    }
}
