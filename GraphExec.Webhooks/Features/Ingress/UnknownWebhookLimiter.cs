using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>
/// How many deliveries to webhooks that do not exist one client address may send: each costs a database query, so an
/// address that keeps guessing ids is refused with 429 before the next query, while deliveries to webhooks the caches
/// know are never held up. IPv6 addresses count per /64 (one host's usual allocation), so that rotating through its
/// addresses does not reset the count. Per instance, as the per-webhook limit is: N replicas allow N times as many.
/// </summary>
public sealed class UnknownWebhookLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public UnknownWebhookLimiter(IOptions<WebhookIngressOptions> options)
    {
        var perMinute = options.Value.UnknownPerAddressPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = perMinute,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    /// <summary>Whether <paramref name="address"/> may have one more id looked up in the database.</summary>
    /// <remarks>
    /// Whole permits only: the bucket refills in fractions as time passes, and a peek (a lease of 0) succeeds on any of them.
    /// </remarks>
    public bool MayLookUp(IPAddress? address) => _limiter.GetStatistics(Key(address)) is not { CurrentAvailablePermits: < 1 };

    /// <summary>Counts a delivery from <paramref name="address"/> to a webhook that does not exist.</summary>
    public void Missed(IPAddress? address) => _limiter.AttemptAcquire(Key(address)).Dispose();

    public void Dispose() => _limiter.Dispose();

    private static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPNetwork(address, 64).BaseAddress + "/64"
            : address.ToString();
    }
}
