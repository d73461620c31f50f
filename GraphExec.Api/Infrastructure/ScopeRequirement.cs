using GraphExec.Api.Features.Tokens;
using Microsoft.AspNetCore.Authorization;

namespace GraphExec.Api.Infrastructure;

/// <summary>A personal access token must hold <see cref="Scope"/>; a session holds every scope.</summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (!context.User.IsPersonalAccessToken() || context.User.HasClaim(Scopes.ClaimType, requirement.Scope))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new MissingScope(this, requirement.Scope));
        }

        return Task.CompletedTask;
    }
}

/// <summary>Why a personal access token was refused: it lacks <see cref="Scope"/>.</summary>
public sealed class MissingScope(IAuthorizationHandler handler, string scope)
    : AuthorizationFailureReason(handler, $"This personal access token does not have the scope '{scope}' that this request needs.")
{
    public string Scope { get; } = scope;
}
