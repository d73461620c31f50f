using Microsoft.AspNetCore.Components.Authorization;

namespace GraphExec.Web.Account;

/// <summary>The signed-in person of this circuit (or request) and their Api token.</summary>
public sealed class Session(AuthenticationStateProvider authentication, TimeProvider time)
{
    public async Task<string?> UsernameAsync() => (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name;

    /// <summary>The token, or <see cref="SessionExpiredException"/> when it has expired (or there is none).</summary>
    public async Task<string> AccessTokenAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return SessionClaims.IsValid(user, time.GetUtcNow(), TimeSpan.FromSeconds(5)) && SessionClaims.AccessTokenOf(user) is { } token
            ? token
            : throw new SessionExpiredException();
    }
}
