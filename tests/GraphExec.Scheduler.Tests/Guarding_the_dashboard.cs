using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GraphExec.Testing;

namespace GraphExec.Scheduler.Tests;

/// <summary>The Hangfire dashboard answers only the operator's credentials, and asks a browser for them.</summary>
public sealed class Guarding_the_dashboard
{
    private SchedulerApp _scheduler = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scheduler = await new SchedulerApp().StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _scheduler.DisposeAsync();

    [Test]
    public async Task Should_challenge_without_credentials_and_refuse_wrong_ones()
    {
        using var client = _scheduler.CreateClient();

        using var anonymous = await client.GetAsync("/hangfire");
        using var wrongPassword = await GetAsync(client, "/hangfire", "operator", "not-the-password-at-all");
        using var wrongUser = await GetAsync(client, "/hangfire", "admin", SchedulerApp.OperatorPassword);
        using var notBase64 = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/hangfire")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", "%%%") },
        });
        using var api = await client.GetAsync("/hangfire/stats");

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymous.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
        Assert.That(wrongPassword.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrongUser.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(notBase64.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Should_show_the_dashboard_with_the_sweeper_to_the_operator()
    {
        using var client = _scheduler.CreateClient();

        using var dashboard = await GetAsync(client, "/hangfire", "operator", SchedulerApp.OperatorPassword);
        var recurring = await Poll.UntilAsync(
            async () =>
            {
                using var page = await GetAsync(client, "/hangfire/recurring", "operator", SchedulerApp.OperatorPassword);
                return await page.Content.ReadAsStringAsync();
            },
            html => html.Contains("sweep-stalled-executions", StringComparison.Ordinal),
            "the sweeper's recurring job to be listed");

        Assert.That(dashboard.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await dashboard.Content.ReadAsStringAsync(), Does.Contain("GraphExec Scheduler"));
        Assert.That(recurring, Does.Contain("sweep-stalled-executions"));
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string user, string password) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path)
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))) },
        });
}
