using System.ComponentModel.DataAnnotations;

namespace GraphExec.ServiceDefaults;

/// <summary>
/// GraphExec's own tokens: the Api signs them with <see cref="SigningKey"/> (an Aspire parameter), the Api and Live
/// validate them. To use an external authority (Entra ID, Keycloak) instead, set
/// <c>Authentication:Schemes:Bearer:Authority</c> and <c>…:ValidAudiences</c>, and leave the signing key out.
/// </summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";

    [Required]
    public string Issuer { get; set; } = "graphexec";

    [Required]
    public string Audience { get; set; } = "graphexec";

    /// <summary>
    /// The audience of Live tickets (<see cref="Audience"/> with <c>/live</c>): Live accepts them, the Api does not, so that
    /// a ticket, which a read-only personal access token may get, never acts at the Api.
    /// </summary>
    public string LiveAudience => Audience + "/live";

    /// <summary>At least 32 characters: HMAC-SHA256 wants a 256-bit key. New tokens are signed with it.</summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }

    /// <summary>
    /// Keys that signed tokens before the current one, still accepted so that rotating the key signs nobody out: move the
    /// current key here, set a new <see cref="SigningKey"/>, and remove the old one once <see cref="AccessTokenLifetime"/>
    /// has passed. Set them on every service that validates tokens (the Api and Live).
    /// </summary>
    public string[] PreviousSigningKeys { get; set; } = [];

    /// <summary>
    /// How long an access token is good for. It is also how long a revoked session's id stays on the revocation list in
    /// Redis (with the clock skew, or a Live ticket's lifetime when that is longer): no token of the session is valid after
    /// that anyway.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a session lasts from sign-in, however often it is refreshed (an absolute limit): then its user signs in again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a Live ticket is good for (never beyond the end of the token or session it was given for). A client watching
    /// longer gets a new one and reconnects.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan LiveTicketLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest any access token or Live ticket lives: how long an ended session stays on the revocation list.</summary>
    public TimeSpan LongestTokenLifetime => AccessTokenLifetime > LiveTicketLifetime ? AccessTokenLifetime : LiveTicketLifetime;
}
