using System.Threading.Channels;
using GraphExec.Core.Data;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>
/// Records deliveries (accepted or refused, never their payload) for the owner's deliveries list, in batches from a
/// channel, so that a delivery's answer never waits on, or fails because of, its record. Best effort: when the
/// database is down or the channel is full, records are dropped and counted in the log.
/// </summary>
public sealed partial class DeliveryRecorder(
    IServiceScopeFactory scopes, DatabaseSchema schema, TimeProvider time, ILogger<DeliveryRecorder> logger) : BackgroundService
{
    private const int BatchSize = 500;

    /// <summary>
    /// How long records gather before a write: under load, one insert and one commit per window instead of one per
    /// delivery (records are read by people, so a tenth of a second does not matter).
    /// </summary>
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    private const int RejectionMaxLength = 500;

    private readonly Channel<WebhookDelivery> _deliveries = Channel.CreateBounded<WebhookDelivery>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Record(WebhookDefinition webhook, int statusCode, string? deliveryId, Guid? executionId, string? rejection) =>
        _deliveries.Writer.TryWrite(new WebhookDelivery
        {
            OwnerId = webhook.OwnerId,
            WebhookId = webhook.Id,
            Id = Guid.CreateVersion7(),
            ReceivedAt = time.GetUtcNow(),
            StatusCode = statusCode,
            DeliveryId = deliveryId is { Length: > 300 } ? deliveryId[..300] : deliveryId,
            ExecutionId = executionId,
            Rejection = rejection is { Length: > RejectionMaxLength } ? rejection[..RejectionMaxLength] : rejection,
        });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<WebhookDelivery>(BatchSize);
        try
        {
            await schema.Migrated.WaitAsync(stoppingToken);
            while (await _deliveries.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Window, time, stoppingToken);
                await WriteAvailableAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: write what is left, briefly.
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await WriteAvailableAsync(batch, drain.Token);
        }
    }

    private async Task WriteAvailableAsync(List<WebhookDelivery> batch, CancellationToken cancellationToken)
    {
        while (_deliveries.Reader.TryRead(out var first))
        {
            batch.Clear();
            batch.Add(first);
            while (batch.Count < BatchSize && _deliveries.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
                db.WebhookDeliveries.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogDropped(logger, exception, batch.Count);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} webhook delivery records could not be written and were dropped")]
    private static partial void LogDropped(ILogger logger, Exception exception, int count);
}
