using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphExec.Contracts;
using GraphExec.ServiceDefaults;
using GraphExec.Web.Api;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace GraphExec.Web.Account;

/// <summary>What renewing a session gave: new tokens, the session's end (the Api refused), or nothing yet (it did not answer).</summary>
public sealed record Renewal(TokenResponse? Tokens, bool Ended)
{
    public static readonly Renewal Refused = new(null, true);

    public static readonly Renewal Unavailable = new(null, false);
}

/// <summary>
/// Exchanges a session's refresh token for the next pair, once, however many requests of the person ask at the same moment.
/// The Api takes a refresh token presented twice for a stolen copy and ends the session everywhere; yet two requests of one
/// browser (two tabs, a page and its circuit) may well carry the same cookie at once, on two replicas. So the first asker
/// claims the exchange in Redis, and every other asker, on any replica, takes the first one's result (kept sealed with Data
/// Protection for a minute) instead of presenting the token again. Without Redis each replica still renews only once.
/// </summary>
public sealed partial class SessionRenewal(
    IConnectionMultiplexer redis, IDataProtectionProvider protection, IConfiguration configuration, ILogger<SessionRenewal> logger)
{
    /// <summary>An access token is renewed when it has less than this left, so that a call started with it still succeeds.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(2);

    /// <summary>How long a renewal's result is kept for the requests that carried the same refresh token at the same moment.</summary>
    private static readonly TimeSpan Shared = TimeSpan.FromMinutes(1);

    /// <summary>How long another replica's claimed renewal is awaited; it is one call to the Api.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Claimed = "claimed";

    private readonly ConcurrentDictionary<string, Lazy<Task<Renewal>>> _inFlight = new();
    private readonly IDataProtector _protector = protection.CreateProtector("GraphExec.Web.Account.SessionRenewal");
    private readonly string _prefix = configuration[CacheSettings.KeyPrefix] + "web:session-renewal:";

    /// <summary>The next tokens of the session of <paramref name="refreshToken"/>, exchanged through <paramref name="api"/> unless another request already did.</summary>
    public async Task<Renewal> RenewAsync(string refreshToken, ApiClient api, CancellationToken cancellationToken)
    {
        var key = _prefix + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
        // The exchange is not cancelled with this request: other requests may be waiting for it.
        return await _inFlight.GetOrAdd(key, _ => new Lazy<Task<Renewal>>(() => RenewOnceAsync(key, refreshToken, api))).Value
            .WaitAsync(cancellationToken);
    }

    private async Task<Renewal> RenewOnceAsync(string key, string refreshToken, ApiClient api)
    {
        try
        {
            return await RenewSharedAsync(key, refreshToken, api);
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<Renewal> RenewSharedAsync(string key, string refreshToken, ApiClient api)
    {
        IDatabase? database = null;
        try
        {
            database = redis.GetDatabase();
            if (!await database.StringSetAsync(key, Claimed, Patience, When.NotExists))
            {
                return await AwaitOtherAsync(database, key);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, exception);
            database = null;
        }

        var renewal = await ExchangeAsync(refreshToken, api);
        if (database is not null)
        {
            try
            {
                await (renewal.Tokens is null
                    ? database.KeyDeleteAsync(key)
                    : database.StringSetAsync(key, _protector.Protect(JsonSerializer.Serialize(renewal.Tokens, Json)), Shared));
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, exception);
            }
        }

        return renewal;
    }

    private static async Task<Renewal> ExchangeAsync(string refreshToken, ApiClient api)
    {
        try
        {
            return new Renewal(await api.RefreshAsync(refreshToken), false);
        }
        catch (SessionExpiredException)
        {
            return Renewal.Refused;
        }
        catch (ApiProblem)
        {
            return Renewal.Unavailable;
        }
    }

    /// <summary>Another request claimed the exchange: its result, once it is there.</summary>
    private async Task<Renewal> AwaitOtherAsync(IDatabase database, string key)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var value = await database.StringGetAsync(key);
            if (value.IsNull)
            {
                // It failed or was refused and let go: the cookie the other request had is this one's, so the answer is too.
                return Renewal.Unavailable;
            }

            if (value != Claimed)
            {
                return new Renewal(JsonSerializer.Deserialize<TokenResponse>(_protector.Unprotect(value.ToString()), Json), false);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return Renewal.Unavailable;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session renewal is not shared between replicas: Redis is unavailable")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
