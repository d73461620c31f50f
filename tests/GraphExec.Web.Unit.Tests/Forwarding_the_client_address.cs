using System.Net;
using GraphExec.Web.Api;
using Microsoft.AspNetCore.Http;

namespace GraphExec.Web.Unit.Tests;

/// <summary>The Web tells the Api whose browser a request comes from, so that per-address limits count people, not the Web.</summary>
public sealed class Forwarding_the_client_address
{
    [Test]
    public async Task Should_send_the_browsers_address_replacing_any_given()
    {
        var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("203.0.113.9") } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://api/api/auth/token");
        request.Headers.Add("X-Forwarded-For", "10.0.0.1");

        var sent = await SendAsync(context, request);

        Assert.That(sent.GetValues("X-Forwarded-For"), Is.EqualTo(new[] { "203.0.113.9" }));
    }

    [Test]
    public async Task Should_send_none_outside_a_browsers_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://api/api/graphs");

        var sent = await SendAsync(context: null, request);

        Assert.That(sent.Contains("X-Forwarded-For"), Is.False);
    }

    private static async Task<System.Net.Http.Headers.HttpRequestHeaders> SendAsync(HttpContext? context, HttpRequestMessage request)
    {
        var recorder = new Recorder();
        using var handler = new ForwardedClientAddressHandler(new HttpContextAccessor { HttpContext = context }) { InnerHandler = recorder };
        using var invoker = new HttpMessageInvoker(handler);
        using var response = await invoker.SendAsync(request, CancellationToken.None);
        return recorder.Headers!;
    }

    private sealed class Recorder : HttpMessageHandler
    {
        public System.Net.Http.Headers.HttpRequestHeaders? Headers { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Headers = request.Headers;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
