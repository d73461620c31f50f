using System.Globalization;
using System.Security.Claims;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GraphExec.Api.Features.Auth;

public static class AuthApi
{
    public const string RateLimitPolicy = "auth";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(RateLimitPolicy);

        group.MapPost("/register", RegisterAsync)
            .WithName("Register")
            .WithSummary("Creates a user. The password is stored only as a salted hash.");

        group.MapPost("/token", IssueTokenAsync)
            .WithName("IssueToken")
            .WithSummary("Signs in: exchanges a user name and password for an access token (JWT) and the refresh token of a new session.");

        group.MapPost("/refresh", RefreshAsync)
            .WithName("RefreshToken")
            .WithSummary("Exchanges a refresh token, once, for a new access token and refresh token; a refresh token used twice ends its session.");

        // Ending sessions is for the people who hold them: a personal access token cannot sign anyone out.
        var signedIn = routes.MapGroup("/api/auth").WithTags("Auth")
            .RequireSessionCaller().RequireRateLimiting(RateLimiting.PerUserPolicy);

        signedIn.MapPost("/sign-out", SignOutAsync)
            .WithName("SignOut")
            .WithSummary("Ends the caller's session: its refresh token and its access tokens stop working at once, on every service.");

        signedIn.MapPost("/sign-out-everywhere", SignOutEverywhereAsync)
            .WithName("SignOutEverywhere")
            .WithSummary("Ends every session of the caller's user, on every device.");

        return routes;
    }

    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        Credentials credentials, GraphExecDbContext db, IPasswordHasher<User> hasher, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (AccountRules.CheckUsername(credentials.Username) is { } usernameError)
        {
            errors["username"] = [usernameError];
        }

        if (AccountRules.CheckPassword(credentials.Password, credentials.Username) is { } passwordError)
        {
            errors["password"] = [passwordError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The account cannot be created.");
        }

        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Username = credentials.Username!,
            NormalizedUsername = credentials.Username!.ToLowerInvariant(),
            PasswordHash = "",
            CreatedAt = time.GetUtcNow(),
        };
        user.PasswordHash = hasher.HashPassword(user, credentials.Password!);
        db.Users.Add(user);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return UsernameTaken(credentials.Username!);
        }

        return TypedResults.Created((string?)null, new UserDto(user.Id, user.Username, user.CreatedAt));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueTokenAsync(
        Credentials credentials, GraphExecDbContext db, IPasswordHasher<User> hasher, SignInSessions sessions, SignInBackoff backoff,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(credentials.Username) || string.IsNullOrEmpty(credentials.Password))
        {
            return Problems.Invalid(string.IsNullOrEmpty(credentials.Username) ? "username" : "password", "A user name and a password are required.");
        }

        var normalized = credentials.Username.ToLowerInvariant();
        if (await backoff.WaitAsync(normalized) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                title: "Too many failed sign-ins for this user name.",
                detail: $"Try again in {seconds} s; each further failure doubles the wait, up to {SignInBackoff.MaxWait.TotalMinutes} minutes.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedUsername == normalized, cancellationToken);

        // Hash even for an unknown user, with the same work factor, so that the answer takes as long whether or not the
        // name exists.
        var verdict = hasher.VerifyHashedPassword(user ?? UnknownUser, user?.PasswordHash ?? UnknownPasswordHash(hasher), credentials.Password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            await backoff.FailedAsync(normalized);
            return TypedResults.Problem(
                title: "The user name or password is wrong.", statusCode: StatusCodes.Status401Unauthorized);
        }

        await backoff.SucceededAsync(normalized);

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, credentials.Password);
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(await sessions.StartAsync(user, cancellationToken));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest? request, SignInSessions sessions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request?.RefreshToken))
        {
            return Problems.Invalid("refreshToken", "A refresh token is required.");
        }

        var refreshed = await sessions.RefreshAsync(request.RefreshToken, cancellationToken);
        return refreshed.Tokens is { } tokens
            ? TypedResults.Ok(tokens)
            : TypedResults.Problem(title: "The refresh token is not valid.", detail: refreshed.Refusal, statusCode: StatusCodes.Status401Unauthorized);
    }

    public static async Task<NoContent> SignOutAsync(ClaimsPrincipal user, SignInSessions sessions, CancellationToken cancellationToken)
    {
        // A token without a session (issued by an external authority) has nothing to end here.
        if (Guid.TryParse(user.FindFirstValue(AuthenticationExtensions.SessionIdClaim), out var sessionId))
        {
            await sessions.EndAsync(user.OwnerId(), sessionId, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<NoContent> SignOutEverywhereAsync(ClaimsPrincipal user, SignInSessions sessions, CancellationToken cancellationToken)
    {
        await sessions.EndAllAsync(user.OwnerId(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult UsernameTaken(string username) =>
        TypedResults.Problem(
            title: "The user name is taken.",
            detail: $"There is already a user named '{username}'.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["username"] = ["This user name is taken."] } });

    private static readonly User UnknownUser = new() { Username = "", NormalizedUsername = "", PasswordHash = "" };

    private static string? s_unknownPasswordHash;

    private static string UnknownPasswordHash(IPasswordHasher<User> hasher) =>
        s_unknownPasswordHash ??= hasher.HashPassword(UnknownUser, Guid.NewGuid().ToString());
}
