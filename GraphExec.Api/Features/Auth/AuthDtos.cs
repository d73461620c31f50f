namespace GraphExec.Api.Features.Auth;

public sealed record Credentials(string? Username, string? Password);

public sealed record UserDto(Guid Id, string Username, DateTimeOffset CreatedAt);

/// <param name="AccessToken">A JWT for the Api and Live, good until <paramref name="ExpiresAt"/>.</param>
/// <param name="RefreshToken">
/// A <c>gxr_</c> token that <c>POST /api/auth/refresh</c> exchanges, once, for new tokens until
/// <paramref name="RefreshExpiresAt"/>, when the session ends.
/// </param>
public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt);

public sealed record RefreshRequest(string? RefreshToken);
