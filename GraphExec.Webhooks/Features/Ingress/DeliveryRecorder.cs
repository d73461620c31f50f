using System.Threading.Channels;
using GraphExec.Core.Data;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Npgsql;
using static GraphExec.Core.Data.ArrayParameters;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>
/// Records deliveries (accepted or refused, never their payload) for the owner's deliveries list, in batches from a
/// channel, so that a delivery's answer never waits on, or fails because of, its record. Best effort: when the
/// database is down or the channel is full, records are dropped and counted in the log.
/// </summary>
public sealed partial class DeliveryRecorder(
    NpgsqlDataSource dataSource, DatabaseSchema schema, TimeProvider time, ILogger<DeliveryRecorder> logger) : BackgroundService
{
    private const int BatchSize = 500;

    /// <summary>A batch is one statement: its rows come from arrays, one per column.</summary>
    private const string InsertSql = """
        INSERT INTO webhook_deliveries (owner_id, webhook_id, id, received_at, status_code, delivery_id, execution_id, rejection)
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::int[], $6::text[], $7::uuid[], $8::text[])
        """;

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
                await using var command = dataSource.CreateCommand(InsertSql);
                command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(d => d.OwnerId).ToArray() });
                command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(d => d.WebhookId).ToArray() });
                command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(d => d.Id).ToArray() });
                command.Parameters.Add(Times(batch.Select(d => (DateTimeOffset?)d.ReceivedAt)));
                command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(d => d.StatusCode).ToArray() });
                command.Parameters.Add(Texts(batch.Select(d => d.DeliveryId)));
                command.Parameters.Add(Ids(batch.Select(d => d.ExecutionId)));
                command.Parameters.Add(Texts(batch.Select(d => d.Rejection)));
                await command.ExecuteNonQueryAsync(cancellationToken);
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
