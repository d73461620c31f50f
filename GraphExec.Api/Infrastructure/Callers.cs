using System.Security.Claims;
using GraphExec.Api.Features.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

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

    /// <summary>
    /// Every endpoint of the group needs <c>{area}:read</c> (GET and HEAD) or <c>{area}:write</c> (any other method) from a
    /// personal access token; a session passes.
    /// </summary>
    public static RouteGroupBuilder RequireScopes(this RouteGroupBuilder group, string area)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().SelectMany(metadata => metadata.HttpMethods);
            var scope = Scopes.For(area, methods);
            endpoint.Metadata.Add(new RequiredScope(scope));
            endpoint.Metadata.Add(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)).Build());
        });
        return group;
    }

    /// <summary>The endpoints answer only to a session (a signed-in person), never to a personal access token.</summary>
    public static TBuilder RequireSessionCaller<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new SessionCallerRequirement()).Build());
}
