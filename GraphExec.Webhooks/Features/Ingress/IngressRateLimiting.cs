using System.Globalization;
using System.Threading.RateLimiting;
using GraphExec.Core.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace GraphExec.Webhooks.Features.Ingress;

public static class IngressRateLimiting
{
    public const string PerWebhookPolicy = "per-webhook";

    /// <summary>
    /// A token bucket per webhook id (per instance: each replica limits what it receives). A refused delivery answers
    /// 429 with <c>Retry-After</c> and a problem document, and is recorded when the webhook exists.
    /// </summary>
    public static IServiceCollection AddIngressRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerWebhookPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<WebhookIngressOptions>>().Value;
                var key = context.Request.RouteValues[IngressApi.WebhookIdRouteValue]?.ToString() ?? "";
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await RecordAsync(context, cancellationToken);
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many deliveries for this webhook.",
                        Detail = $"Try again in {seconds} s.",
                    },
                });
            };
        });
        return services;
    }

    /// <summary>Records a delivery the limiter refused, when its webhook exists; never fails the answer.</summary>
    private static async Task RecordAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (!Guid.TryParse(context.Request.RouteValues[IngressApi.WebhookIdRouteValue]?.ToString(), out var webhookId)
                || await context.RequestServices.GetRequiredService<WebhookCache>().GetCachedAsync(webhookId, cancellationToken) is not { } webhook)
            {
                return;
            }

            var headers = context.Request.Headers;
            var deliveryId = webhook.Scheme == WebhookScheme.GitHub
                ? headers[DeliverySignature.GitHubDeliveryHeader].ToString()
                : headers[DeliverySignature.IdHeader].ToString();
            context.RequestServices.GetRequiredService<DeliveryRecorder>().Record(
                webhook, StatusCodes.Status429TooManyRequests, deliveryId.Length > 0 ? deliveryId : null, null, "Too many deliveries for this webhook.");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException and not OperationCanceledException)
        {
            // Best effort: the 429 goes out whatever happens here.
        }
    }
}
