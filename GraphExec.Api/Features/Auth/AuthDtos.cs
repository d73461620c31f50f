namespace GraphExec.Api.Features.Auth;

public sealed record Credentials(string? Username, string? Password);

public sealed record UserDto(Guid Id, string Username, DateTimeOffset CreatedAt);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);
