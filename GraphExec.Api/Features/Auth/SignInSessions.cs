using GraphExec.Core.Data;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Auth;

/// <summary>What a refresh gave: new tokens, or why it was refused.</summary>
public sealed record RefreshResult(TokenResponse? Tokens, string? Refusal);

/// <summary>
/// The one owner of the <c>sessions</c> table: starts a session at sign-in, rotates its refresh token, and ends sessions.
/// An ended session is also put on the revocation list (<see cref="SessionRevocations"/>), so that its access tokens are
/// refused by every replica of the Api and of Live at once, not only its refresh token.
/// </summary>
public sealed partial class SignInSessions(
    GraphExecDbContext db, TokenIssuer issuer, SessionRevocations revocations, IOptions<JwtOptions> options, TimeProvider time,
    ILogger<SignInSessions> logger)
{
    public async Task<TokenResponse> StartAsync(User user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A session past its end is of no use to anyone: each sign-in clears its user's, so that the table holds about as many
        // rows as there are sessions that can still be refreshed.
        await db.Sessions.Where(s => s.UserId == user.Id && s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);

        var refreshToken = SecretTokens.New(SecretTokens.RefreshTokenPrefix);
        var session = new Session
        {
            UserId = user.Id,
            Id = Guid.CreateVersion7(),
            RefreshTokenHash = SecretTokens.Hash(refreshToken),
            CreatedAt = now,
            RefreshedAt = now,
            // In whole seconds, so that every answer of the session names the same end as the database keeps (microseconds).
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds((now + options.Value.RefreshTokenLifetime).ToUnixTimeSeconds()),
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return Tokens(user.Id, user.Username, session, refreshToken);
    }

    /// <summary>
    /// Exchanges the session's current refresh token for a new pair; the presented one becomes the session's previous token.
    /// Presenting a previous token again means that someone else holds the session's tokens too (one of the two copies was
    /// stolen), so the whole session ends (refresh token reuse detection, OAuth 2.0 Security Best Current Practice 4.14).
    /// </summary>
    public async Task<RefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (!SecretTokens.IsWellFormed(refreshToken, SecretTokens.RefreshTokenPrefix))
        {
            return Refused("This is not a refresh token of this service.");
        }

        var hash = SecretTokens.Hash(refreshToken);
        var session = await db.Sessions.AsNoTracking()
            .Where(s => s.RefreshTokenHash == hash || s.PreviousRefreshTokenHash == hash)
            .FirstOrDefaultAsync(cancellationToken);
        if (session is null)
        {
            return Refused("The refresh token is unknown: it may have been replaced long ago, or its session has ended.");
        }

        if (!session.RefreshTokenHash.AsSpan().SequenceEqual(hash))
        {
            return await ReusedAsync(session, cancellationToken);
        }

        var now = time.GetUtcNow();
        if (session.RevokedAt is not null)
        {
            return Refused("The session has ended (signed out). Sign in again.");
        }

        if (session.ExpiresAt <= now)
        {
            return Refused("The session has expired. Sign in again.");
        }

        var username = await db.Users.Where(u => u.Id == session.UserId).Select(u => u.Username).SingleOrDefaultAsync(cancellationToken);
        if (username is null)
        {
            return Refused("The session's user no longer exists.");
        }

        var next = SecretTokens.New(SecretTokens.RefreshTokenPrefix);
        var nextHash = SecretTokens.Hash(next);
        // Only while the presented token is still the current one: of two requests that present it at once, one rotates and
        // the other finds it already replaced, which is reuse.
        var rotated = await db.Sessions
            .Where(s => s.UserId == session.UserId && s.Id == session.Id && s.RefreshTokenHash == hash && s.RevokedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.PreviousRefreshTokenHash, hash)
                    .SetProperty(s => s.RefreshTokenHash, nextHash)
                    .SetProperty(s => s.RefreshedAt, now),
                cancellationToken);
        if (rotated == 0)
        {
            return await ReusedAsync(session, cancellationToken);
        }

        return new RefreshResult(Tokens(session.UserId, username, session, next), null);
    }

    /// <summary>Ends one session of the user (sign-out).</summary>
    public Task EndAsync(Guid userId, Guid sessionId, CancellationToken cancellationToken) =>
        EndAsync(userId, db.Sessions.Where(s => s.UserId == userId && s.Id == sessionId), cancellationToken);

    /// <summary>Ends every session of the user (sign-out everywhere).</summary>
    public Task EndAllAsync(Guid userId, CancellationToken cancellationToken) =>
        EndAsync(userId, db.Sessions.Where(s => s.UserId == userId), cancellationToken);

    private async Task EndAsync(Guid userId, IQueryable<Session> sessions, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ending = await sessions.Where(s => s.RevokedAt == null && s.ExpiresAt > now).Select(s => s.Id).ToListAsync(cancellationToken);
        if (ending.Count == 0)
        {
            return;
        }

        await db.Sessions
            .Where(s => s.UserId == userId && ending.Contains(s.Id) && s.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RevokedAt, now), cancellationToken);
        // The table is the truth (no refresh token of these sessions works from now); the list tells the validators.
        await revocations.RevokeAsync(ending);
    }

    private async Task<RefreshResult> ReusedAsync(Session session, CancellationToken cancellationToken)
    {
        LogReused(logger, session.UserId, session.Id);
        await EndAsync(session.UserId, session.Id, cancellationToken);
        return Refused("The refresh token was already used. Its session has been ended to protect it; sign in again.");
    }

    private TokenResponse Tokens(Guid userId, string username, Session session, string refreshToken)
    {
        var (accessToken, expiresAt) = issuer.Issue(userId, username, session.Id, session.ExpiresAt);
        return new TokenResponse(accessToken, expiresAt, refreshToken, session.ExpiresAt);
    }

    private static RefreshResult Refused(string reason) => new(null, reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A replaced refresh token of session {SessionId} of user {UserId} was presented again: the session is ended")]
    private static partial void LogReused(ILogger logger, Guid userId, Guid sessionId);
}
