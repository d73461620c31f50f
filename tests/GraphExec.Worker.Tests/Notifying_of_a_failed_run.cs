extern alias webhooks;

using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Messages;
using GraphExec.Engine;
using GraphExec.Hosting;
using GraphExec.Hosting.Secrets;
using GraphExec.Worker.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using DeliverySignature = webhooks::GraphExec.Webhooks.Features.Ingress.DeliverySignature;

namespace GraphExec.Worker.Tests;

/// <summary>
/// A run that fails starts its graph's error handler with the run's summary, and is posted to the graph's notification
/// endpoints signed per Standard Webhooks, retried with the same <c>webhook-id</c>; a run that succeeds tells no one.
/// </summary>
public sealed class Notifying_of_a_failed_run
{
    /// <summary>Echoes the summary it receives as its input <c>execution</c>.</summary>
    private const string Handler = """
        {
          "name": "On failure",
          "nodes": [
            { "id": "execution", "block": "input",  "config": { "name": "execution" } },
            { "id": "seen",      "block": "output", "config": { "name": "seen" } }
          ],
          "edges": [ { "from": "execution.value", "to": "seen.value" } ]
        }
        """;

    [Test]
    public async Task Should_start_the_error_handler_with_the_summary_and_post_a_signed_delivery()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        var user = await Scenario.NewUserAsync();
        var handler = await user.SaveGraphAsync(Handler);
        var failing = await user.SaveGraphAsync(Graphs.Failing);
        await SetErrorHandlerAsync(user, failing, handler);
        var secret = await AddEndpointAsync(user, failing, receiver.Url);

        var id = await user.StartAsync(failing, """{ "order": { "id": 7 } }""");
        var failed = await user.WaitForStatusAsync(id, ExecutionStatus.Failed);
        var handled = await WaitForHandlerRunAsync(user, id);
        await Poll.UntilAsync(() => Task.FromResult(!receiver.Received.IsEmpty), "the delivery to arrive");
        await Poll.UntilAsync(async () => !(await user.ExecutionAsync(id)).Notify, "the notification to be marked handled");

        var delivery = receiver.Received.Single();
        var body = JsonNode.Parse(delivery.Body)!;
        var seen = JsonNode.Parse(handled.Outputs!)!["seen"]!;
        Assert.Multiple(() =>
        {
            Assert.That(failed.Trigger, Is.EqualTo(TriggerKind.Manual));
            Assert.That(handled.Status, Is.EqualTo(ExecutionStatus.Succeeded), handled.Error);
            Assert.That(handled.TriggerRef, Is.EqualTo(id.ToString()));
            Assert.That(seen["executionId"]!.GetValue<Guid>(), Is.EqualTo(id));
            Assert.That(seen["graphId"]!.GetValue<Guid>(), Is.EqualTo(failing));
            Assert.That(seen["status"]!.GetValue<string>(), Is.EqualTo("Failed"));
            Assert.That(seen["failedNodeId"]!.GetValue<string>(), Is.EqualTo("stop"));
            Assert.That(seen["trigger"]!.GetValue<string>(), Is.EqualTo("manual"));
            Assert.That(seen["error"]!["message"]!.GetValue<string>(), Is.EqualTo("Order 7 has no items."));

            Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("execution.failed"));
            Assert.That(body["data"]!["executionId"]!.GetValue<Guid>(), Is.EqualTo(id));
            Assert.That(body["data"]!["graphName"]!.GetValue<string>(), Is.EqualTo("test"));
            Assert.That(() => new StandardWebhook(secret).Verify(delivery.Body, delivery.Headers), Throws.Nothing, "the library verifies it");
            Assert.That(VerifyAsTheIngressDoes(secret, delivery).IsValid, Is.True, "the ingress' own check verifies it");
            Assert.That(VerifyAsTheIngressDoes(secret, delivery with { Body = delivery.Body + " " }).IsValid, Is.False, "a changed body fails the check");
        });
    }

    [Test]
    public async Task Should_retry_a_delivery_that_failed_with_the_same_webhook_id()
    {
        await using var receiver = await NotificationReceiver.StartAsync(500);
        var user = await Scenario.NewUserAsync();
        var failing = await user.SaveGraphAsync(Graphs.Failing);
        await AddEndpointAsync(user, failing, receiver.Url);

        var id = await user.StartAsync(failing, """{ "order": { "id": 1 } }""");
        await Poll.UntilAsync(() => Task.FromResult(receiver.Received.Any(d => d.AnsweredWith == 200)), "the retried delivery to arrive");

        var deliveries = receiver.Received.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(deliveries.Select(d => d.AnsweredWith), Is.EqualTo(new[] { 500, 200 }));
            Assert.That(deliveries[1].Id, Is.EqualTo(deliveries[0].Id));
            Assert.That(deliveries[1].Body, Is.EqualTo(deliveries[0].Body));
            Assert.That(deliveries[0].Id, Does.Contain(id.ToString("N")));
        });
    }

    [Test]
    public async Task Should_not_retry_a_delivery_the_receiver_refused()
    {
        await using var receiver = await NotificationReceiver.StartAsync(410);
        var user = await Scenario.NewUserAsync();
        var failing = await user.SaveGraphAsync(Graphs.Failing);
        await AddEndpointAsync(user, failing, receiver.Url);

        var id = await user.StartAsync(failing, """{ "order": { "id": 1 } }""");
        await user.WaitForStatusAsync(id, ExecutionStatus.Failed);
        await Poll.UntilAsync(async () => !(await user.ExecutionAsync(id)).Notify, "the notification to be marked handled");

        Assert.That(receiver.Received.Select(d => d.AnsweredWith), Is.EqualTo(new[] { 410 }));
    }

    [Test]
    public async Task Should_tell_no_one_of_a_run_that_succeeded()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        var user = await Scenario.NewUserAsync();
        var handler = await user.SaveGraphAsync(Handler);
        var greeting = await user.SaveGraphAsync(Graphs.Greeting);
        await SetErrorHandlerAsync(user, greeting, handler);
        await AddEndpointAsync(user, greeting, receiver.Url);

        var succeeded = await user.WaitForStatusAsync(await user.StartAsync(greeting), ExecutionStatus.Succeeded);
        // A failed run of another graph, told to the same receiver, comes after anything the success could have sent.
        var failing = await user.SaveGraphAsync(Graphs.Failing);
        await AddEndpointAsync(user, failing, receiver.Url);
        var failed = await user.StartAsync(failing, """{ "order": { "id": 2 } }""");
        await Poll.UntilAsync(() => Task.FromResult(!receiver.Received.IsEmpty), "the failed run's delivery");

        Assert.Multiple(async () =>
        {
            Assert.That(succeeded.Notify, Is.False, "nothing to publish");
            Assert.That(receiver.Received.Select(d => JsonNode.Parse(d.Body)!["data"]!["executionId"]!.GetValue<Guid>()), Is.EqualTo(new[] { failed }));
            Assert.That((await user.ExecutionsAsync()).Count(e => e.Trigger == TriggerKind.Error), Is.Zero, "no handler run");
        });
    }

    [Test]
    public async Task Should_tell_of_a_cancelled_run_only_the_urls_that_asked_for_it()
    {
        await using var asked = await NotificationReceiver.StartAsync();
        await using var notAsked = await NotificationReceiver.StartAsync();
        var user = await Scenario.NewUserAsync();
        var greeting = await user.SaveGraphAsync(Graphs.Greeting);
        await AddEndpointAsync(user, greeting, asked.Url, ExecutionStatus.Cancelled);
        await AddEndpointAsync(user, greeting, notAsked.Url);

        // Cancelled before any worker started it, as the Api cancels.
        var id = await user.QueueUnpublishedAsync(greeting);
        var outcome = await user.CancelAsync(id);
        await Poll.UntilAsync(() => Task.FromResult(!asked.Received.IsEmpty), "the cancelled run's delivery");
        await Poll.UntilAsync(async () => !(await user.ExecutionAsync(id)).Notify, "the notification to be marked handled");

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(CancelOutcome.Cancelled));
            Assert.That(JsonNode.Parse(asked.Received.Single().Body)!["type"]!.GetValue<string>(), Is.EqualTo("execution.cancelled"));
            Assert.That(notAsked.Received, Is.Empty);
        });
    }

    [Test]
    public async Task Should_not_start_a_handler_for_a_failed_handler_run()
    {
        var user = await Scenario.NewUserAsync();
        var failing = await user.SaveGraphAsync(Graphs.Failing);
        // The failing graph handles its own errors: its handler run fails too and must start nothing.
        await SetErrorHandlerAsync(user, failing, failing);

        var id = await user.StartAsync(failing, """{ "order": { "id": 3 } }""");
        var handled = await WaitForHandlerRunAsync(user, id);
        await Poll.UntilAsync(async () => !(await user.ExecutionAsync(id)).Notify, "the notification to be marked handled");

        Assert.Multiple(async () =>
        {
            Assert.That(handled.Status, Is.EqualTo(ExecutionStatus.Failed));
            Assert.That(handled.Notify, Is.False, "a failed handler run tells no one");
            Assert.That((await user.ExecutionsAsync()).Count(e => e.Trigger == TriggerKind.Error), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Should_deliver_a_notification_whose_publish_was_lost_once_swept()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        var user = await Scenario.NewUserAsync();
        var failing = await user.SaveGraphAsync(Graphs.Failing);
        await AddEndpointAsync(user, failing, receiver.Url);
        var store = WorkerHost.Services.GetRequiredService<ExecutionStore>();

        // Stored as failed with its notification pending, as by a worker that died between its finish and the publish.
        var id = await user.QueueUnpublishedAsync(failing);
        var error = new ExecutionError(ExecutionError.WorkerFailed, "The worker stopped.");
        var (ended, _, notify) = await store.FailUnclaimedAsync(user.OwnerId, id, error, DateTimeOffset.UtcNow, CancellationToken.None);
        var pending = await user.ExecutionAsync(id);

        // What the sweeper does, once the threshold has passed.
        var swept = await store.SweepNotificationsAsync(DateTimeOffset.UtcNow.AddSeconds(1), 1_000, 5, DateTimeOffset.UtcNow, CancellationToken.None);
        await WorkerHost.Services.GetRequiredService<IBus>().PublishBatch(
            swept.Where(e => e.OwnerId == user.OwnerId).Select(e => new ExecutionCompleted { OwnerId = e.OwnerId, ExecutionId = e.ExecutionId }));
        await Poll.UntilAsync(() => Task.FromResult(!receiver.Received.IsEmpty), "the swept delivery to arrive");
        await Poll.UntilAsync(async () => !(await user.ExecutionAsync(id)).Notify, "the notification to be marked handled");

        Assert.Multiple(() =>
        {
            Assert.That(ended && notify && pending.Notify, Is.True, "failed with its notification pending");
            Assert.That(swept, Does.Contain((user.OwnerId, id)));
            Assert.That(JsonNode.Parse(receiver.Received.Single().Body)!["data"]!["executionId"]!.GetValue<Guid>(), Is.EqualTo(id));
        });
    }

    private static Task SetErrorHandlerAsync(Scenario user, Guid graphId, Guid handlerId) =>
        WorkerHost.WithDatabaseAsync(db => db.Graphs
            .Where(g => g.OwnerId == user.OwnerId && g.Id == graphId)
            .ExecuteUpdateAsync(set => set.SetProperty(g => g.ErrorGraphId, handlerId)));

    /// <summary>Adds an endpoint, for failed and timed-out runs unless told otherwise, as the Api does; answers its secret.</summary>
    private static async Task<string> AddEndpointAsync(Scenario user, Guid graphId, string url, params ExecutionStatus[] events)
    {
        var secret = WebhookSigning.NewSecret();
        var id = Guid.CreateVersion7();
        var protection = WorkerHost.Services.GetRequiredService<SecretProtection>();
        await WorkerHost.WithDatabaseAsync(db =>
        {
            db.NotificationEndpoints.Add(new NotificationEndpoint
            {
                OwnerId = user.OwnerId, Id = id, GraphId = graphId, Url = url, Enabled = true, CreatedAt = DateTimeOffset.UtcNow,
                Events = events.Length > 0 ? events : [ExecutionStatus.Failed, ExecutionStatus.TimedOut],
                Secret = protection.ProtectNotificationSecret(id, secret),
            });
            return db.SaveChangesAsync();
        });
        return secret;
    }

    private static async Task<Execution> WaitForHandlerRunAsync(Scenario user, Guid failedId)
    {
        var executions = await Poll.UntilAsync(
            user.ExecutionsAsync,
            all => all.Any(e => e.Trigger == TriggerKind.Error && e.TriggerRef == failedId.ToString() && e.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed),
            $"the error handler of {failedId} to end",
            describe: all => string.Join("; ", all.Select(e => $"{e.Id} {e.Trigger} {e.TriggerRef} {e.Status}")));
        return executions.Single(e => e.Trigger == TriggerKind.Error && e.TriggerRef == failedId.ToString());
    }

    /// <summary>Checks the delivery with the Webhooks ingress' verifier, as if the receiver were a GraphExec webhook with that secret.</summary>
    private static webhooks::GraphExec.Webhooks.Features.Ingress.SignatureCheck VerifyAsTheIngressDoes(string secret, ReceivedDelivery delivery)
    {
        var protection = WorkerHost.Services.GetRequiredService<SecretProtection>();
        var webhookId = Guid.CreateVersion7();
        var webhook = new WebhookDefinition(Guid.Empty, webhookId, Guid.Empty, Enabled: true, WebhookScheme.Standard,
            protection.ProtectWebhookSecret(webhookId, secret), PreviousSecret: null, PreviousSecretExpiresAt: null);
        return DeliverySignature.Verify(webhook, delivery.Headers, delivery.Body, DateTimeOffset.UtcNow, protection);
    }
}
