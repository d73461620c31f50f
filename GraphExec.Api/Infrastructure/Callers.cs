using System.Globalization;
using System.Security.Claims;
using GraphExec.Api.Features.Tokens;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.JsonWebTokens;

namespace GraphExec.Api.Infrastructure;

/// <summary>
/// Who may call the Api: a signed-in person with a session's JWT, who may do anything their user may, or a script with a
/// personal access token (<c>gxp_…</c>), which may do only what its scopes allow and never manage tokens or sessions.
/// </summary>
public static class Callers
{
    /// <summary>The default scheme: it hands a request to the personal access token handler or to JWT bearer, by its token's prefix.</summary>
    public const string Scheme = "SessionOrPersonalAccessToken";

    public static IServiceCollection AddApiAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(options => options.DefaultScheme = Scheme)
            .AddPolicyScheme(Scheme, "A session's JWT or a personal access token", options =>
                options.ForwardDefaultSelector = context =>
                    PersonalAccessTokenHandler.Carries(context.Request) ? PersonalAccessTokenHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, PersonalAccessTokenHandler>(PersonalAccessTokenHandler.SchemeName, configureOptions: null);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();
        return services;
    }

    public static bool IsPersonalAccessToken(this ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: PersonalAccessTokenHandler.SchemeName };

    /// <summary>When the caller's credential stops working: its JWT's <c>exp</c>, or its personal access token's expiry.</summary>
    public static DateTimeOffset? ExpiresAt(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Exp), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>
    /// What ending ends the caller (see <see cref="GraphExec.Hosting.SessionRevocations"/>): its session's id, or its
    /// personal access token's id.
    /// </summary>
    public static string? RevocationId(this ClaimsPrincipal user) =>
        user.FindFirstValue(user.IsPersonalAccessToken() ? PersonalAccessTokenHandler.TokenIdClaim : AuthenticationExtensions.SessionIdClaim);

    /// <summary>
    /// Every endpoint of the group needs <c>{area}:read</c> (GET and HEAD) or <c>{area}:write</c> (any other method) from a
    /// personal access token; a session passes. With <paramref name="readsOnly"/>, <c>{area}:read</c> whatever the method:
    /// for endpoints that change nothing of the area (a Live ticket is a POST that only lets its holder read executions).
    /// </summary>
    public static RouteGroupBuilder RequireScopes(this RouteGroupBuilder group, string area, bool readsOnly = false)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().SelectMany(metadata => metadata.HttpMethods);
            var scope = readsOnly ? Scopes.Reading(area) : Scopes.For(area, methods);
            endpoint.Metadata.Add(new RequiredScope(scope));
            endpoint.Metadata.Add(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)).Build());
        });
        return group;
    }

    /// <summary>The endpoints answer only to a session (a signed-in person), never to a personal access token.</summary>
    public static TBuilder RequireSessionCaller<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new SessionCallerRequirement()).Build());
}
