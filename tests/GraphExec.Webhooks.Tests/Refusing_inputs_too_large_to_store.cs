using System.Net;
using System.Text.Json;
using GraphExec.Core.Values;
using GraphExec.Testing;

namespace GraphExec.Webhooks.Tests;

/// <summary>
/// A delivery's top-level properties are the run's inputs: one over <c>Blobs:MaxValueBytes</c> (small here, to keep the
/// test fast) answers 413 with a problem document naming it, starts nothing and is recorded; one over the inline
/// threshold only is kept in blob storage and referenced from the execution.
/// </summary>
public sealed class Refusing_inputs_too_large_to_store
{
    private HooksApp _hooks = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _hooks = new HooksApp(new Dictionary<string, string?>
        {
            ["Blobs:InlineThresholdBytes"] = "1024",
            ["Blobs:MaxValueBytes"] = "2048",
        });
        await _hooks.MigratedAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _hooks.DisposeAsync();

    [Test]
    public async Task Should_answer_413_naming_the_input_and_start_nothing()
    {
        var webhook = await _hooks.CreateWebhookAsync();
        using var client = _hooks.CreateClient();
        var body = JsonSerializer.Serialize(new { who = new string('w', 3000) });

        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(problem.GetProperty("title").GetString(), Does.Contain("'who'"));
        Assert.That(await _hooks.ExecutionsAsync(webhook.OwnerId), Is.Empty);
        Assert.That((await _hooks.DeliveriesAsync(webhook)).Select(d => d.StatusCode), Is.EqualTo(new[] { 413 }));
    }

    [Test]
    public async Task Should_keep_an_input_over_the_threshold_in_blob_storage()
    {
        var webhook = await _hooks.CreateWebhookAsync();
        using var client = _hooks.CreateClient();
        var body = JsonSerializer.Serialize(new { who = new string('w', 1500) });

        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var execution = (await _hooks.ExecutionsAsync(webhook.OwnerId)).Single();
        Assert.That(execution.HasBlobs, Is.True);
        var reference = ValueReference.From(System.Text.Json.Nodes.JsonNode.Parse(execution.Inputs)!["who"]);
        Assert.That(reference?.Bytes, Is.EqualTo(1502));
        var blob = RealServersSetUp.Isolated.BlobContainer().GetBlobClient(BlobNames.Of(new ExecutionKey(execution.OwnerId, execution.Id), reference!.Key));
        Assert.That((await blob.ExistsAsync()).Value, Is.True, "the blob is written before the row that references it");
    }
}
