using System.Security.Claims;
using GraphExec.Api.Features.Tokens;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Api.Features.Auth;

/// <summary>Who the caller is.</summary>
/// <param name="Kind"><c>session</c> (a signed-in person) or <c>token</c> (a personal access token).</param>
/// <param name="Scopes">What the caller may do: every scope for a session, its own for a token.</param>
/// <param name="TokenName">The personal access token's name; null for a session.</param>
/// <param name="ExpiresAt">When the token the caller sent (the session's access token, or the personal access token) expires.</param>
public sealed record MeDto(Guid Id, string Username, string Kind, string[] Scopes, string? TokenName, DateTimeOffset? ExpiresAt);

/// <summary><c>GET /api/me</c>: any caller may ask who it is, whatever its scopes, so that a script can check its token.</summary>
public static class MeApi
{
    public const string SessionKind = "session";
    public const string TokenKind = "token";

    public static RouteHandlerBuilder MapMeApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/me", GetAsync)
            .WithTags("Auth")
            .WithName("GetMe")
            .WithSummary("Who the caller is: the user, whether a session or a personal access token, its scopes and when it expires.");

    public static async Task<Results<Ok<MeDto>, NotFound>> GetAsync(ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var username = await db.Users.Where(u => u.Id == ownerId).Select(u => u.Username).SingleOrDefaultAsync(cancellationToken);
        if (username is null)
        {
            return TypedResults.NotFound();
        }

        if (!user.IsPersonalAccessToken())
        {
            string[] every = [.. Scopes.All.Order(StringComparer.Ordinal)];
            return TypedResults.Ok(new MeDto(ownerId, username, SessionKind, every, null, user.ExpiresAt()));
        }

        var tokenId = Guid.Parse(user.FindFirstValue(PersonalAccessTokenHandler.TokenIdClaim)!);
        var token = await db.AccessTokens.AsNoTracking()
            .Where(t => t.OwnerId == ownerId && t.Id == tokenId)
            .Select(t => new { t.Name, t.Scopes, t.ExpiresAt })
            .SingleOrDefaultAsync(cancellationToken);
        return token is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new MeDto(ownerId, username, TokenKind, token.Scopes, token.Name, token.ExpiresAt));
    }
}
