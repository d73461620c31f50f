using System.Net;
using System.Net.Http.Headers;
using GraphExec.Contracts;
using GraphExec.Web.Api;

namespace GraphExec.Web.Unit.Tests;

/// <summary>What a person reads when the Api refuses: the problem document's words, not a status code.</summary>
public sealed class Explaining_refusals
{
    [Test]
    public async Task Should_name_the_quota_a_save_went_over()
    {
        using var response = Problem(HttpStatusCode.Forbidden, "Over quota.", "You have reached your quota of 10,000 graphs.");

        var problem = await ProblemReader.ReadAsync(response, CancellationToken.None);

        Assert.That(problem.Status, Is.EqualTo(403));
        Assert.That(problem.Message, Is.EqualTo("Over quota: You have reached your quota of 10,000 graphs."));
    }

    [Test]
    public async Task Should_say_why_a_run_must_wait_and_for_how_long()
    {
        using var response = Problem(
            HttpStatusCode.TooManyRequests, "Over quota.", "You have reached your quota of 10,000 executions waiting to run; try again once some have started.");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30));

        var problem = await ProblemReader.ReadAsync(response, CancellationToken.None);

        Assert.That(problem.Message, Is.EqualTo(
            "You have reached your quota of 10,000 executions waiting to run; try again once some have started. Try again in 30 s."));
    }

    [Test]
    public async Task Should_ask_to_wait_when_a_rate_limit_says_no_more()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        var problem = await ProblemReader.ReadAsync(response, CancellationToken.None);

        Assert.That(problem.Message, Is.EqualTo("Too many requests. Try again in a moment."));
    }

    private static HttpResponseMessage Problem(HttpStatusCode status, string title, string detail) => new(status)
    {
        Content = new StringContent(
            $$"""{ "type": "about:blank", "title": "{{title}}", "status": {{(int)status}}, "detail": "{{detail}}" }""",
            System.Text.Encoding.UTF8, "application/problem+json"),
    };
}
