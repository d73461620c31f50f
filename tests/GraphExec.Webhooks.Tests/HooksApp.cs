using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine.Json;
using GraphExec.Hosting.Secrets;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using GraphExec.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace GraphExec.Webhooks.Tests;

/// <summary>
/// The Webhooks service in-process on the run's own database, virtual host and key prefix. Webhooks and graphs are
/// inserted directly (the Api's management endpoints have tests of their own), as the Api would store them.
/// </summary>
public sealed class HooksApp(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in RealServersSetUp.Isolated.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        // Ordinary tests send a handful of deliveries per webhook; the rate-limit test runs its own app with a small bucket.
        builder.UseSetting("Webhooks:Burst", "50");
        builder.UseSetting("Webhooks:MaxBodyBytes", "4096");

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    public async Task MigratedAsync() =>
        await Services.GetRequiredService<DatabaseSchema>().Migrated.WaitAsync(TimeSpan.FromSeconds(60));

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A secret as the Api stores it: encrypted for its webhook with the run's key ring.</summary>
    public string Protect(Guid webhookId, string secret) => Services.GetRequiredService<SecretProtection>().ProtectWebhookSecret(webhookId, secret);

    /// <summary>
    /// A new owner's graph (version 1: the Greeting unless <paramref name="definition"/> is given) and a webhook for it,
    /// stored as the Api stores it; the answer holds the secret in plain text, to sign deliveries with.
    /// </summary>
    public async Task<Webhook> CreateWebhookAsync(
        WebhookScheme scheme = WebhookScheme.Standard, bool enabled = true, string? secret = null, string definition = SampleGraphs.Greeting)
    {
        await MigratedAsync();
        var ownerId = Guid.CreateVersion7();
        var graphId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var webhook = new Webhook
        {
            OwnerId = ownerId,
            Id = Guid.CreateVersion7(),
            GraphId = graphId,
            Enabled = enabled,
            Scheme = scheme,
            Secret = secret ?? NewSecret(),
            CreatedAt = now,
        };
        var stored = new Webhook
        {
            OwnerId = ownerId, Id = webhook.Id, GraphId = graphId, Enabled = enabled, Scheme = scheme, Secret = Protect(webhook.Id, webhook.Secret),
            CreatedAt = now,
        };

        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        db.Graphs.Add(new Graph { OwnerId = ownerId, Id = graphId, Name = "Greeting", Version = 1, CreatedAt = now, UpdatedAt = now });
        db.GraphVersions.Add(new GraphVersion { OwnerId = ownerId, GraphId = graphId, Version = 1, Definition = definition, CreatedAt = now });
        db.Webhooks.Add(stored);
        await db.SaveChangesAsync();
        return webhook;
    }

    /// <summary>Changes a webhook as the Api does: store, then drop the cached definition.</summary>
    public async Task UpdateWebhookAsync(Guid webhookId, Action<Webhook> change)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        var webhook = db.Webhooks.Single(w => w.Id == webhookId);
        change(webhook);
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<WebhookCache>().RemoveAsync(webhookId, CancellationToken.None);
    }

    /// <summary>Deletes a graph as the Api does: the row stays, marked deleted.</summary>
    public async Task DeleteGraphAsync(Guid ownerId, Guid graphId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        await db.Graphs.Where(g => g.OwnerId == ownerId && g.Id == graphId)
            .ExecuteUpdateAsync(set => set.SetProperty(g => g.DeletedAt, DateTimeOffset.UtcNow));
    }

    /// <summary>Marks an execution Succeeded with outputs, as a worker would.</summary>
    public async Task FinishAsync(Guid ownerId, Guid executionId, string outputs)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        var execution = db.Executions.Single(e => e.OwnerId == ownerId && e.Id == executionId);
        execution.Status = Engine.ExecutionStatus.Succeeded;
        execution.Outputs = outputs;
        execution.FinishedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync();
    }

    /// <summary>Sends a run's final event on its channel, as the Worker does once the run is stored; the database is left as it is.</summary>
    public async Task PublishFinalEventAsync(Guid ownerId, Guid executionId, string outputs)
    {
        var finalEvent = new Engine.ExecutionEvent
        {
            ExecutionId = executionId,
            Sequence = 1,
            Type = Engine.ExecutionEventType.ExecutionCompleted,
            Status = nameof(Engine.ExecutionStatus.Succeeded),
            Outputs = JsonSerializer.Deserialize<Dictionary<string, JsonNode?>>(outputs),
            Timestamp = DateTimeOffset.UtcNow,
        };
        var channel = LiveStream.Channel(Services.GetRequiredService<IConfiguration>()[CacheSettings.KeyPrefix], ownerId, executionId);
        await Services.GetRequiredService<IConnectionMultiplexer>().GetSubscriber().PublishAsync(
            RedisChannel.Literal(channel), JsonSerializer.SerializeToUtf8Bytes(finalEvent, GraphExecJsonContext.Default.ExecutionEvent));
    }

    public async Task<List<Execution>> ExecutionsAsync(Guid ownerId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        return [.. db.Executions.Where(e => e.OwnerId == ownerId).OrderBy(e => e.Id)];
    }

    /// <summary>
    /// Every delivery of the webhook recorded so far. The recorder writes records in the order it was handed them, and
    /// every answer goes out after its record was handed over: so once a marker delivery sent now is written, so is every
    /// delivery answered before it, and the list is complete, without waiting a while for stragglers.
    /// </summary>
    public async Task<List<WebhookDelivery>> DeliveriesAsync(Webhook webhook)
    {
        var marker = await CreateWebhookAsync(enabled: false);
        using (var client = CreateClient())
        using (var answer = await client.SendAsync(Signing.Delivery(marker.Id, marker.Secret, "{}")))
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the marker's webhook is disabled");
        }

        await Poll.UntilAsync(async () => (await RecordedAsync(marker)).Count > 0, "the marker delivery to be recorded");
        return await RecordedAsync(webhook);
    }

    private async Task<List<WebhookDelivery>> RecordedAsync(Webhook webhook)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        return [.. db.WebhookDeliveries.Where(d => d.OwnerId == webhook.OwnerId && d.WebhookId == webhook.Id).OrderBy(d => d.Id)];
    }
}
