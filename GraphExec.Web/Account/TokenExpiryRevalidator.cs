using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace GraphExec.Web.Account;

/// <summary>
/// A circuit outlives the request that opened it: every minute, a session that has reached its end signs the person out of
/// the open page too, so that the router sends them to sign in instead of letting calls fail. (An access token that expires
/// before is renewed by <see cref="Session"/>.)
/// </summary>
public sealed class TokenExpiryRevalidator(ILoggerFactory loggerFactory, TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(SessionClaims.HasSession(authenticationState.User, time.GetUtcNow()));
}
