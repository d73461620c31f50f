using System.Security.Claims;
using GraphExec.Api.Features.Auth;
using GraphExec.Api.Infrastructure;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Live;

/// <param name="AccessToken">A JWT that Live accepts (as <c>access_token</c>) and the Api refuses, good until <paramref name="ExpiresAt"/>.</param>
public sealed record LiveTicketDto(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Live tickets: short-lived tokens for the Live hub alone, so that a personal access token, which Live does not take, can
/// watch runs. A ticket names its holder's user and, as its session, the caller's session or personal access token: ending
/// either (sign-out, revocation) refuses the ticket at Live and closes its connections.
/// </summary>
public static class LiveTicketsApi
{
    public static RouteHandlerBuilder MapLiveTicketsApi(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/live/tickets", Create)
            .WithTags("Live")
            .WithName("CreateLiveTicket")
            .WithSummary("Gives a short-lived token for the Live hub (`/hubs/executions`), which the Api does not accept; ask again before it expires.");

    public static Results<Ok<LiveTicketDto>, ProblemHttpResult> Create(ClaimsPrincipal user, TokenIssuer issuer, IOptions<JwtOptions> jwt)
    {
        // With an external authority the Api signs no tokens, and Live takes the authority's own.
        if (jwt.Value.SigningKey is null || user.RevocationId() is not { } revocationId || user.ExpiresAt() is not { } endsAt)
        {
            return TypedResults.Problem(
                title: "No Live tickets here.", statusCode: StatusCodes.Status404NotFound,
                detail: "This Api gives Live tickets for its own sessions and personal access tokens only; connect to Live with your token.");
        }

        var (token, expiresAt) = issuer.IssueLiveTicket(user.OwnerId(), revocationId, endsAt);
        return TypedResults.Ok(new LiveTicketDto(token, expiresAt));
    }
}
