using GraphExec.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GraphExec.Hosting;

/// <summary>
/// The list of ended sessions in Redis (and of revoked personal access tokens, whose Live tickets carry the token's id as
/// their session), shared by every replica of the Api (which writes it at sign-out) and of Live (which
/// reads it, like the Api, as each token is validated). The sessions table is the truth; this list only carries the news
/// to the validators faster than the tokens expire. Each entry lives as long as an access token or a Live ticket can (with
/// the clock skew), after which no token of the session is valid anyway. When Redis does not answer, a check says "not revoked" and
/// logs a warning: a sign-out then takes effect when its access tokens expire, rather than every request failing while
/// Redis is away (the same trade as the sign-in backoff's). Ended sessions are also announced on a channel, so that a service
/// holding connections open (Live) closes theirs at once.
/// </summary>
public sealed partial class SessionRevocations(
    IConnectionMultiplexer redis, IConfiguration configuration, IOptions<JwtOptions> jwt, ILogger<SessionRevocations> logger) : IRevokedSessions
{
    private readonly string _prefix = configuration[CacheSettings.KeyPrefix] + "auth:revoked-session:";

    private readonly RedisChannel _ended = RedisChannel.Literal(configuration[CacheSettings.KeyPrefix] + "auth:sessions-ended");

    public async Task<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            return await redis.GetDatabase().KeyExistsAsync(Key(sessionId)).WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogUnavailable(logger, exception);
            return false;
        }
    }

    /// <summary>Puts the sessions on the list; false when Redis did not take them (their tokens then live out their time).</summary>
    public async Task<bool> RevokeAsync(IReadOnlyCollection<Guid> sessionIds)
    {
        if (sessionIds.Count == 0)
        {
            return true;
        }

        var lifetime = jwt.Value.LongestTokenLifetime + AuthenticationExtensions.ClockSkew;
        try
        {
            var database = redis.GetDatabase();
            await Task.WhenAll(sessionIds.Select(id => database.StringSetAsync(Key(id.ToString()), "1", lifetime)));
            await database.PublishAsync(_ended, string.Join(',', sessionIds));
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogNotWritten(logger, exception, sessionIds.Count);
            return false;
        }
    }

    /// <summary>Calls <paramref name="ended"/> with the id of every session that ends from now on, whichever replica ends it.</summary>
    public Task WatchAsync(Action<string> ended) =>
        redis.GetSubscriber().SubscribeAsync(_ended, (_, message) =>
        {
            foreach (var sessionId in message.ToString().Split(','))
            {
                ended(sessionId);
            }
        });

    private RedisKey Key(string sessionId) => _prefix + sessionId;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session revocation check skipped: Redis is unavailable; the token is accepted")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Count} ended sessions not put on the revocation list: Redis is unavailable; their access tokens stay valid until they expire")]
    private static partial void LogNotWritten(ILogger logger, Exception exception, int count);
}
