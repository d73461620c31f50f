using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Core.Data;
using GraphExec.Core.Messages;
using GraphExec.Engine;
using GraphExec.Testing;

namespace GraphExec.Webhooks.Tests;

/// <summary>A signed delivery stores one Queued execution, publishes one message, and a repeat finds the same one.</summary>
public sealed class Receiving_deliveries
{
    private BusObserver<ExecuteGraph> _bus = null!;

    [SetUp]
    public async Task ObserveTheBusAsync() => _bus = await BusObserver<ExecuteGraph>.StartAsync();

    [TearDown]
    public async Task StopObservingAsync() => await _bus.DisposeAsync();

    [Test]
    public async Task Should_start_one_execution_with_the_body_as_inputs_and_publish_exactly_one_message()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();

        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":"Ada","extra":1}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var executionId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
        var execution = (await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId)).Single();
        Assert.That(execution.Id, Is.EqualTo(executionId));
        Assert.That(execution.Trigger, Is.EqualTo(TriggerKind.Webhook));
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Queued));
        Assert.That(execution.GraphVersion, Is.EqualTo(1));
        Assert.That(JsonDocument.Parse(execution.Inputs).RootElement.GetProperty("who").GetString(), Is.EqualTo("Ada"));
        Assert.That(await PublishedExecutionIdsAsync(), Is.EqualTo(new[] { executionId }));

        var deliveries = await TestRun.Hooks.DeliveriesAsync(webhook);
        Assert.That(deliveries.Single().StatusCode, Is.EqualTo(202));
        Assert.That(deliveries.Single().ExecutionId, Is.EqualTo(executionId));
    }

    [Test]
    public async Task Should_answer_a_repeated_delivery_with_the_same_execution_even_after_a_restart()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        const string body = """{"who":"Ada"}""";
        var id = $"msg_{Guid.NewGuid():N}";

        Guid first, second, afterRestart;
        using (var client = TestRun.Hooks.CreateClient())
        {
            first = await ExecutionIdAsync(await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, body, id)));
            // A retry is signed again with a new timestamp, as senders do.
            second = await ExecutionIdAsync(await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, body, id, Signing.Now() - 1)));
        }

        await using (var restarted = new HooksApp())
        {
            using var client = restarted.CreateClient();
            afterRestart = await ExecutionIdAsync(await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, body, id)));
        }

        Assert.That(second, Is.EqualTo(first));
        Assert.That(afterRestart, Is.EqualTo(first));
        Assert.That((await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId)).Select(e => e.Id), Is.EqualTo(new[] { first }));
        Assert.That(await PublishedExecutionIdsAsync(), Is.EqualTo(new[] { first }));
    }

    [Test]
    public async Task Should_start_one_execution_when_the_same_delivery_arrives_many_times_at_once()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        var id = $"msg_{Guid.NewGuid():N}";
        using var client = TestRun.Hooks.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            await ExecutionIdAsync(await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":"Ada"}""", id)))));

        Assert.That(answers.Distinct().Count(), Is.EqualTo(1), string.Join(", ", answers));
        Assert.That((await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId)).Select(e => e.Id), Is.EqualTo(new[] { answers[0] }));
        Assert.That(await PublishedExecutionIdsAsync(), Is.EqualTo(new[] { answers[0] }));
    }

    [Test]
    public async Task Should_start_each_of_many_deliveries_arriving_at_once_exactly_once()
    {
        // Starts that arrive together share one insert (group commit): every delivery must still get its own execution,
        // and a repeat in the same insert the same one.
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        var ids = Enumerable.Range(0, 25).Select(_ => $"msg_{Guid.NewGuid():N}").ToList();
        using var client = TestRun.Hooks.CreateClient();

        var answers = await Task.WhenAll(ids.Concat(ids).Select(async id =>
            (Id: id, Execution: await ExecutionIdAsync(await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, $$"""{"who":"{{id}}"}""", id))))));

        var byDelivery = answers.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.Select(a => a.Execution).Distinct().ToList());
        Assert.That(byDelivery.Values.Select(executions => executions.Count), Has.All.EqualTo(1), "a repeated delivery answered another execution");
        var executions = await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId);
        Assert.That(executions.Select(e => e.Id), Is.EquivalentTo(byDelivery.Values.Select(e => e[0])));
        Assert.That(executions.Select(e => JsonDocument.Parse(e.Inputs).RootElement.GetProperty("who").GetString()), Is.EquivalentTo(ids));
        Assert.That((await _bus.PublishedAsync(atLeast: ids.Count)).Select(m => m.ExecutionId), Is.EquivalentTo(byDelivery.Values.Select(e => e[0])));
    }

    [Test]
    public async Task Should_pass_a_body_that_is_not_an_object_as_the_input_body()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();

        var executionId = await ExecutionIdAsync(await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, "[1,2,3]")));

        var execution = (await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId)).Single(e => e.Id == executionId);
        Assert.That(JsonDocument.Parse(execution.Inputs).RootElement.GetProperty("body").GetArrayLength(), Is.EqualTo(3));
    }

    [Test]
    public async Task Should_answer_202_when_the_execution_does_not_finish_within_the_wait()
    {
        // No worker runs in this test project, so the execution stays Queued.
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();

        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":"Ada"}""", query: "?wait=1"));
        using var tooLong = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":"Ada"}""", query: "?wait=31"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Should_answer_200_with_the_outputs_when_the_execution_finishes_within_the_wait()
    {
        using var client = TestRun.Hooks.CreateClient();
        var (webhook, sending, executionId) = await SendWaitingAsync(client);

        // Play the worker: finish the execution while the delivery waits.
        await TestRun.Hooks.FinishAsync(webhook.OwnerId, executionId, """{"greeting":"Hello, Ada!"}""");
        using var response = await sending;

        await AssertSucceededAsync(response, executionId, "Hello, Ada!");
    }

    [Test]
    public async Task Should_answer_the_outputs_of_the_final_event_heard_while_the_database_still_says_queued()
    {
        using var client = TestRun.Hooks.CreateClient();
        var (webhook, sending, executionId) = await SendWaitingAsync(client);

        // The wait subscribes after the insert: send the event until the answer shows it was heard.
        while (!sending.IsCompleted)
        {
            await TestRun.Hooks.PublishFinalEventAsync(webhook.OwnerId, executionId, """{"greeting":"Heard, Ada!"}""");
            await Task.WhenAny(sending, Task.Delay(TimeSpan.FromMilliseconds(50)));
        }

        using var response = await sending;
        await AssertSucceededAsync(response, executionId, "Heard, Ada!");
        Assert.That((await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId)).Single().Status, Is.EqualTo(ExecutionStatus.Queued));
    }

    [Test]
    public async Task Should_answer_a_repeated_delivery_of_a_run_that_ended_with_its_stored_outputs()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();
        var executionId = await ExecutionIdAsync(await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":"Ada"}""", id: "msg_ended")));
        await TestRun.Hooks.FinishAsync(webhook.OwnerId, executionId, """{"greeting":"Hello, Ada!"}""");

        using var repeated = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":"Ada"}""", id: "msg_ended", query: "?wait=30"));

        await AssertSucceededAsync(repeated, executionId, "Hello, Ada!");
    }

    /// <summary>A new webhook's delivery that waits up to 30 s for its run, on its way; and its execution, once published.</summary>
    private async Task<(Webhook Webhook, Task<HttpResponseMessage> Sending, Guid ExecutionId)> SendWaitingAsync(HttpClient client)
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        var sending = client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":"Ada"}""", query: "?wait=30"));
        return (webhook, sending, (await PublishedExecutionIdsAsync()).Single());
    }

    /// <summary>The answer of a delivery whose run ended within its wait: 200 with the run's id, status and greeting.</summary>
    private static async Task AssertSucceededAsync(HttpResponseMessage response, Guid executionId, string greeting)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var completed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(completed.GetProperty("executionId").GetGuid(), Is.EqualTo(executionId));
        Assert.That(completed.GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
        Assert.That(completed.GetProperty("outputs").GetProperty("greeting").GetString(), Is.EqualTo(greeting));
    }

    /// <summary>The executions published so far, once there is one at least.</summary>
    private async Task<IEnumerable<Guid>> PublishedExecutionIdsAsync() =>
        (await _bus.PublishedAsync(atLeast: 1)).Select(message => message.ExecutionId);

    private static async Task<Guid> ExecutionIdAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
        }
    }
}
