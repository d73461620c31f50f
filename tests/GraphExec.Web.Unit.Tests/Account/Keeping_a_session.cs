using GraphExec.Web.Account;
using GraphExec.Web.Api;
using Microsoft.AspNetCore.DataProtection;

namespace GraphExec.Web.Unit.Tests.Account;

/// <summary>
/// A person stays signed in for as long as their session lasts, not only as long as the access token in their cookie: the
/// refresh token beside it gets the next one. A circuit is handed its renewed token sealed, for that person only.
/// </summary>
public sealed class Keeping_a_session
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Should_stay_signed_in_after_the_access_token_expired_until_the_session_ends()
    {
        var user = CookieSignIn.Principal("ada", new TokenResponse("access", Now.AddMinutes(-1), "gxr_refresh", Now.AddDays(1)));

        Assert.That(SessionClaims.IsValid(user, Now), Is.False, "the access token has expired");
        Assert.That(SessionClaims.HasSession(user, Now), Is.True, "its session has not");
        Assert.That(SessionClaims.HasSession(user, Now.AddDays(1)), Is.False, "until the session ends");
        Assert.That(SessionClaims.RefreshTokenOf(user), Is.EqualTo("gxr_refresh"));
    }

    [Test]
    public void Should_end_a_cookie_of_before_sessions_with_its_access_token()
    {
        var user = CookieSignIn.Principal("ada", new TokenResponse("access", Now.AddMinutes(5), "gxr_refresh", Now.AddDays(1)));
        var withoutSession = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            user.Claims.Where(claim => claim.Type is not (SessionClaims.RefreshToken or SessionClaims.SessionExpiresAt)), "Cookies"));

        Assert.That(SessionClaims.HasSession(withoutSession, Now.AddMinutes(4)), Is.True);
        Assert.That(SessionClaims.HasSession(withoutSession, Now.AddMinutes(5)), Is.False);
    }

    [Test]
    public void Should_open_a_sealed_access_token_only_for_the_person_it_was_sealed_for()
    {
        var protection = new EphemeralDataProtectionProvider();
        var ticket = new AccessTicket("access", Now.AddHours(1));

        var sealedTicket = ticket.Seal(protection, "ada");

        Assert.That(sealedTicket, Does.Not.Contain("access"));
        Assert.That(AccessTicket.Open(protection, "ada", sealedTicket), Is.EqualTo(ticket));
        Assert.That(AccessTicket.Open(protection, "grace", sealedTicket), Is.Null);
        Assert.That(AccessTicket.Open(protection, "ada", sealedTicket[..^4] + "AAAA"), Is.Null);
        Assert.That(AccessTicket.Open(protection, "ada", null), Is.Null);
    }
}
