namespace GraphExec.Core.Data;

/// <summary>
/// A personal access token for scripts and CI: it acts as its owner within its <see cref="Scopes"/> until it expires or is
/// revoked. The token itself is shown once, at creation; only its SHA-256 hash is kept.
/// </summary>
public sealed class AccessToken
{
    public const int MaxNameLength = 100;

    public Guid OwnerId { get; set; }

    public Guid Id { get; set; }

    /// <summary>What the owner calls it, e.g. "CI deploys"; 1 to <see cref="MaxNameLength"/> characters.</summary>
    public required string Name { get; set; }

    public required byte[] TokenHash { get; set; }

    /// <summary>What it may do, e.g. <c>graphs:read</c>; see the Api's scope list.</summary>
    public required string[] Scopes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it last authenticated a request, to the minute (it is written at most once a minute).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
