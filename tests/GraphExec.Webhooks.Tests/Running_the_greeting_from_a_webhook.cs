using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Engine;
using GraphExec.Testing;

namespace GraphExec.Webhooks.Tests;

/// <summary>End to end with a real Worker: a signed delivery runs the Greeting graph to its output.</summary>
public sealed class Running_the_greeting_from_a_webhook
{
    [Test]
    public async Task Should_succeed_with_hello_ada_and_answer_the_outputs_within_the_wait()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var worker = await ServiceProcess.StartAsync("GraphExec.Worker", RealServersSetUp.Isolated.ServiceSettings());
        using var client = TestRun.Hooks.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(100);

        // On a loaded machine the run may outlast the wait: a 202 is fine then, the execution finishes later.
        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":"Ada"}""", query: "?wait=30"));
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var executionId = answer.GetProperty("executionId").GetGuid();

        var execution = await Poll.UntilAsync(
            async () => (await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId)).Single(e => e.Id == executionId),
            e => e.Status is not (ExecutionStatus.Queued or ExecutionStatus.Running),
            $"execution {executionId} to end",
            describe: e => $"{e.Status}{Environment.NewLine}{worker.Output}");

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Succeeded), $"{execution.Error}{Environment.NewLine}{worker.Output}");
        Assert.That(JsonDocument.Parse(execution.Outputs!).RootElement.GetProperty("greeting").GetString(), Is.EqualTo("Hello, Ada!"));
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
            Assert.That(answer.GetProperty("outputs").GetProperty("greeting").GetString(), Is.EqualTo("Hello, Ada!"));
        }
    }
}
