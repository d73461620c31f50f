using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace GraphExec.Live.Features.Connections;

/// <summary>
/// Closes the hub connections of a session as soon as it ends (signed out at the Api, or its refresh token used twice), on
/// every replica: a token is checked when a connection opens, and a connection would otherwise stay open until its token
/// expires. The Api announces ended sessions on a Redis channel (<see cref="SessionRevocations"/>); each replica closes its
/// own connections of those sessions. Should the channel be unreachable, connections end with their tokens as before.
/// </summary>
public sealed partial class SessionConnections(SessionRevocations revocations, ILogger<SessionConnections> logger) : IHostedService
{
    private readonly Dictionary<string, Dictionary<string, HubCallerContext>> _bySession = [];

    public void Add(HubCallerContext connection)
    {
        if (SessionOf(connection) is not { } sessionId)
        {
            return;
        }

        lock (_bySession)
        {
            if (!_bySession.TryGetValue(sessionId, out var connections))
            {
                _bySession[sessionId] = connections = [];
            }

            connections[connection.ConnectionId] = connection;
        }
    }

    public void Remove(HubCallerContext connection)
    {
        if (SessionOf(connection) is not { } sessionId)
        {
            return;
        }

        lock (_bySession)
        {
            if (_bySession.TryGetValue(sessionId, out var connections) && connections.Remove(connection.ConnectionId) && connections.Count == 0)
            {
                _bySession.Remove(sessionId);
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await revocations.WatchAsync(Close);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogNotWatching(logger, exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Close(string sessionId)
    {
        List<HubCallerContext>? closing = null;
        lock (_bySession)
        {
            if (_bySession.Remove(sessionId, out var connections))
            {
                closing = [.. connections.Values];
            }
        }

        foreach (var connection in closing ?? [])
        {
            connection.Abort();
        }
    }

    private static string? SessionOf(HubCallerContext connection) => connection.User?.FindFirst(AuthenticationExtensions.SessionIdClaim)?.Value;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Not watching for ended sessions (Redis is unavailable): their open connections close when their tokens expire")]
    private static partial void LogNotWatching(ILogger logger, Exception exception);
}
