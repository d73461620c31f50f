namespace GraphExec.ServiceDefaults;

/// <summary>
/// The sessions that were ended (signed out) while access tokens of theirs may still be unexpired. A service that validates
/// tokens registers an implementation (GraphExec.Hosting keeps the list in Redis, shared by every replica); without one,
/// a token is good until it expires.
/// </summary>
public interface IRevokedSessions
{
    /// <summary>
    /// Whether the session <paramref name="sessionId"/> (a token's <c>sid</c>) has ended. An implementation that cannot tell
    /// (its store does not answer) says false: a sign-out then takes effect when the token expires.
    /// </summary>
    Task<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken);
}
