using System.Globalization;
using GraphExec.ServiceDefaults;
using StackExchange.Redis;

namespace GraphExec.Api.Features.Auth;

/// <summary>
/// Slows down password guessing against one user name, whatever addresses it comes from: after
/// <see cref="FreeFailures"/> failed sign-ins in an hour, each further failure makes the name wait twice as long as the
/// last (1 s, 2 s, 4 s, … up to <see cref="MaxWait"/>) before it may try again. The waiting is kept in Redis, so that it holds
/// across every Api replica, and applies to any name, existing or not, so that it tells nothing about which exist. A
/// successful sign-in clears it. Without Redis the check is skipped: the per-address limit still holds.
/// </summary>
public sealed partial class SignInBackoff(IConnectionMultiplexer redis, IConfiguration configuration, ILogger<SignInBackoff> logger)
{
    public const int FreeFailures = 5;

    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan FailureMemory = TimeSpan.FromHours(1);

    private readonly string _prefix = configuration[CacheSettings.KeyPrefix] + "signin:";

    /// <summary>How long <paramref name="normalizedName"/> must still wait before its next attempt; null when it may try now.</summary>
    public async Task<TimeSpan?> WaitAsync(string normalizedName)
    {
        try
        {
            return await redis.GetDatabase().KeyTimeToLiveAsync(WaitKey(normalizedName));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogUnavailable(logger, exception);
            return null;
        }
    }

    /// <summary>Counts a failed attempt and, beyond the free ones, makes the name wait.</summary>
    public async Task FailedAsync(string normalizedName)
    {
        try
        {
            var database = redis.GetDatabase();
            // The count and its expiry in one MULTI: an increment whose expiry never arrived (a timeout, a stop between
            // the two) would leave a counter that never expires and keeps the name waiting for good.
            var counting = database.CreateTransaction();
            var counted = counting.StringIncrementAsync(FailuresKey(normalizedName));
            _ = counting.KeyExpireAsync(FailuresKey(normalizedName), FailureMemory);
            await counting.ExecuteAsync();
            var failures = await counted;
            if (failures > FreeFailures)
            {
                var wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - FreeFailures - 1), MaxWait.TotalSeconds));
                await database.StringSetAsync(WaitKey(normalizedName), failures.ToString(CultureInfo.InvariantCulture), wait);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogUnavailable(logger, exception);
        }
    }

    public async Task SucceededAsync(string normalizedName)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync([FailuresKey(normalizedName), WaitKey(normalizedName)]);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogUnavailable(logger, exception);
        }
    }

    private RedisKey FailuresKey(string normalizedName) => _prefix + "failures:" + normalizedName;

    private RedisKey WaitKey(string normalizedName) => _prefix + "wait:" + normalizedName;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in backoff skipped: Redis is unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
