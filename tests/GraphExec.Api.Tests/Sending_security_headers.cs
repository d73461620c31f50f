using System.Net;

namespace GraphExec.Api.Tests;

/// <summary>Every answer, an error's too, tells browsers not to guess its type, frame it or leak the URL as a referrer.</summary>
public sealed class Sending_security_headers
{
    [TestCase("/health", HttpStatusCode.OK)]
    [TestCase("/api/graphs", HttpStatusCode.Unauthorized)]
    [TestCase("/api/nothing-here", HttpStatusCode.NotFound)]
    [TestCase("/openapi/v1.json", HttpStatusCode.OK)]
    public async Task Should_send_them_with_every_answer(string path, HttpStatusCode status)
    {
        using var client = TestRun.Api.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("strict-origin-when-cross-origin"));
    }
}
