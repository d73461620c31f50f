using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.JSInterop;

namespace GraphExec.Web.Account;

/// <summary>The signed-in person of this circuit (or request) and their Api token.</summary>
public sealed class Session(AuthenticationStateProvider authentication, IJSRuntime js, IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>The access token this circuit was handed after the one it started with.</summary>
    private AccessTicket? _renewed;

    private Task<AccessTicket?>? _renewing;

    public async Task<string?> UsernameAsync() => (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name;

    /// <summary>
    /// A token with some life left, renewed if need be; <see cref="SessionExpiredException"/> when the session has ended
    /// (or there is none).
    /// </summary>
    public async Task<string> AccessTokenAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var now = time.GetUtcNow();
        if (_renewed is { } renewed && renewed.ExpiresAt - SessionRenewal.Margin > now)
        {
            return renewed.AccessToken;
        }

        if (SessionClaims.IsValid(user, now, SessionRenewal.Margin))
        {
            return SessionClaims.AccessTokenOf(user)!;
        }

        // A request's cookie was renewed before the request got here (SessionCookieEvents). A circuit outlives the request
        // that opened it and cannot write cookies, so it asks the browser to renew the cookie's session.
        if (SessionClaims.HasSession(user, now) && user.Identity?.Name is { } username)
        {
            var renewing = _renewing ??= RenewThroughBrowserAsync(username);
            _renewed = await renewing ?? _renewed;
            _renewing = null;
            if (_renewed is { } fresh && fresh.ExpiresAt > now)
            {
                return fresh.AccessToken;
            }
        }

        // Renewing did not work: the token in hand, while it lasts.
        return SessionClaims.IsValid(user, now) ? SessionClaims.AccessTokenOf(user)! : throw new SessionExpiredException();
    }

    private async Task<AccessTicket?> RenewThroughBrowserAsync(string username)
    {
        try
        {
            return AccessTicket.Open(protection, username, await js.InvokeAsync<string?>("graphexec.renewSession"));
        }
        catch (Exception exception) when (exception is InvalidOperationException or JSException or JSDisconnectedException or TaskCanceledException)
        {
            // Rendering on the server for a request (no browser to ask), or the browser went away.
            return null;
        }
    }
}
