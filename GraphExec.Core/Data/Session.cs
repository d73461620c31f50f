namespace GraphExec.Core.Data;

/// <summary>
/// One sign-in of a user: it lasts until <see cref="ExpiresAt"/> however often it is refreshed, and ends early when revoked
/// (sign-out, sign-out everywhere, or a refresh token presented twice). Its id is the <c>sid</c> claim of every access token
/// it issues. Refresh tokens are kept only as SHA-256 hashes.
/// </summary>
public sealed class Session
{
    /// <summary>The user's id, which is the owner id of everything they own: the key leads with it like every owned table's.</summary>
    public Guid UserId { get; set; }

    public Guid Id { get; set; }

    /// <summary>SHA-256 of the refresh token that is valid now.</summary>
    public required byte[] RefreshTokenHash { get; set; }

    /// <summary>
    /// SHA-256 of the refresh token before the last refresh. Presenting it again means that two parties hold the session's
    /// tokens, so the session is revoked (reuse detection, OAuth 2.0 Security Best Current Practice).
    /// </summary>
    public byte[]? PreviousRefreshTokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset RefreshedAt { get; set; }

    /// <summary>Absolute end: refreshing never moves it.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
