using System.Net;
using System.Net.Http.Headers;
using GraphExec.Engine.Blocks.Http;
using GraphExec.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using StandardWebhooks;

namespace GraphExec.Worker.Features.Notifications;

/// <summary>A delivery to one endpoint: where, with which secret (plain, for this send only), what id and body.</summary>
public sealed record NotificationDelivery(Uri Url, string Secret, string DeliveryId, string Body);

/// <summary>How a delivery ended: the last status code (null when no answer came) and the attempts made.</summary>
public sealed record DeliveryOutcome(bool Delivered, int? StatusCode, int Attempts);

/// <summary>
/// Posts notification deliveries signed per Standard Webhooks (the <c>StandardWebhooks</c> library signs, as it verifies
/// for the ingress), each attempt with a fresh timestamp and the same <c>webhook-id</c>. Retried with exponential backoff
/// and jitter up to <see cref="NotificationOptions.MaxAttempts"/>: on no answer, no answer within
/// <see cref="NotificationOptions.AttemptTimeout"/>, 408, 429 and 5xx; another
/// 4xx says the receiver will not take it. Connections go through the http block's <see cref="SsrfGuard"/>, and
/// redirects are not followed, so a delivery reaches only the URL the owner gave, and never the private network.
/// </summary>
public sealed class NotificationSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly TimeProvider _time;

    public NotificationSender(SsrfGuard guard, IOptions<NotificationOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        _time = time;
        _client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = guard.ConnectAsync,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.FirstRetryDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>(exception => exception.InnerException is not SsrfRefusedException)
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => IsWorthRetrying(response.StatusCode)),
                OnRetry = arguments =>
                {
                    arguments.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }

    /// <summary>Whether another attempt may succeed: the receiver timed out, is busy, or failed.</summary>
    public static bool IsWorthRetrying(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Delivers, retrying as configured; never throws for what the receiver or the network did.</summary>
    public async Task<DeliveryOutcome> SendAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var signer = new StandardWebhook(delivery.Secret);
        try
        {
            using var response = await _retry.ExecuteAsync(async token =>
            {
                attempts++;
                return await AttemptAsync(delivery, signer, token);
            }, cancellationToken);
            return new DeliveryOutcome(response.IsSuccessStatusCode, (int)response.StatusCode, attempts);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException)
        {
            return new DeliveryOutcome(false, null, attempts);
        }
    }

    private async Task<HttpResponseMessage> AttemptAsync(NotificationDelivery delivery, StandardWebhook signer, CancellationToken cancellationToken)
    {
        var timestamp = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, new MediaTypeHeaderValue("application/json")),
        };
        // A notification URL often is a secret itself (a chat service's incoming webhook): traces get its origin only.
        request.Options.Set(HttpBlockOptions.MaskedUrl, $"{delivery.Url.GetLeftPart(UriPartial.Authority)}/***");
        request.Headers.Add(WebhookSigning.IdHeader, delivery.DeliveryId);
        request.Headers.Add(WebhookSigning.TimestampHeader, timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigning.SignatureHeader, signer.Sign(delivery.DeliveryId, timestamp, delivery.Body));
        return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public void Dispose() => _client.Dispose();
}
