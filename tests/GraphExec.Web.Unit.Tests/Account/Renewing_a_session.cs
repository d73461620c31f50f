using System.Net;
using System.Net.Http.Json;
using GraphExec.Web.Account;
using GraphExec.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace GraphExec.Web.Unit.Tests.Account;

/// <summary>
/// The Web exchanges a session's refresh token once however many requests renew it at the same moment: the Api takes a
/// refresh token presented twice for a stolen copy and ends the session. Here without Redis (which shares the exchange
/// between replicas), as a replica works when Redis is away.
/// </summary>
public sealed class Renewing_a_session
{
    private static readonly TokenResponse Next = new("next-access-token", DateTimeOffset.UtcNow.AddHours(1), "gxr_next", DateTimeOffset.UtcNow.AddDays(30));

    private ConnectionMultiplexer _redisAway = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync() =>
        // Nothing listens there; commands fail at once instead of waiting for a connection.
        _redisAway = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { "127.0.0.1:1" },
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = 200,
        });

    [OneTimeTearDown]
    public async Task DisconnectAsync() => await _redisAway.DisposeAsync();

    [Test]
    public async Task Should_present_the_refresh_token_to_the_api_once_however_many_requests_renew_at_once()
    {
        var answer = new TaskCompletionSource();
        var api = new FakeApi(async () =>
        {
            await answer.Task;
            return JsonContent.Create(Next);
        });
        var renewal = NewRenewal();

        var renewals = Enumerable.Range(0, 5).Select(_ => renewal.RenewAsync("gxr_current", api.Client, CancellationToken.None)).ToList();
        answer.SetResult();
        var renewed = await Task.WhenAll(renewals);

        Assert.That(api.Calls, Is.EqualTo(1));
        Assert.That(renewed.Select(r => r.Tokens), Is.All.EqualTo(Next));
    }

    [Test]
    public async Task Should_end_the_session_when_the_api_refuses_the_refresh_token()
    {
        var api = new FakeApi(() => Task.FromException<HttpContent>(new UnauthorizedAccessException()));

        var renewed = await NewRenewal().RenewAsync("gxr_reused", api.Client, CancellationToken.None);

        Assert.That(renewed.Ended, Is.True);
        Assert.That(renewed.Tokens, Is.Null);
    }

    [Test]
    public async Task Should_keep_the_session_when_the_api_does_not_answer()
    {
        var api = new FakeApi(() => Task.FromException<HttpContent>(new HttpRequestException("connection refused")));

        var renewed = await NewRenewal().RenewAsync("gxr_current", api.Client, CancellationToken.None);

        Assert.That(renewed, Is.EqualTo(Renewal.Unavailable));
    }

    [Test]
    public async Task Should_write_the_cookie_again_with_the_next_tokens_shortly_before_the_access_token_expires()
    {
        var api = new FakeApi(() => Task.FromResult<HttpContent>(JsonContent.Create(Next)));
        var (context, http) = CookieOf(new TokenResponse("old-access-token", DateTimeOffset.UtcNow.AddMinutes(1), "gxr_current", Next.RefreshExpiresAt));

        await new SessionCookieEvents(NewRenewal(), api.Client, TimeProvider.System).ValidatePrincipal(context);

        Assert.That(api.Calls, Is.EqualTo(1));
        Assert.That(SessionClaims.AccessTokenOf(context.Principal!), Is.EqualTo(Next.AccessToken));
        Assert.That(SessionClaims.RefreshTokenOf(context.Principal!), Is.EqualTo(Next.RefreshToken));
        Assert.That(context.Principal!.Identity!.Name, Is.EqualTo("ada"));
        Assert.That(http.Response.Headers.SetCookie.ToString(), Does.Contain(".AspNetCore.Cookies="), "the renewed cookie");
    }

    [Test]
    public async Task Should_leave_the_cookie_alone_while_its_access_token_has_time_left()
    {
        var api = new FakeApi(() => Task.FromResult<HttpContent>(JsonContent.Create(Next)));
        var (context, http) = CookieOf(new TokenResponse("access-token", DateTimeOffset.UtcNow.AddMinutes(30), "gxr_current", Next.RefreshExpiresAt));

        await new SessionCookieEvents(NewRenewal(), api.Client, TimeProvider.System).ValidatePrincipal(context);

        Assert.That(api.Calls, Is.Zero);
        Assert.That(SessionClaims.AccessTokenOf(context.Principal!), Is.EqualTo("access-token"));
        Assert.That(http.Response.Headers.SetCookie.ToString(), Is.Empty);
    }

    [Test]
    public async Task Should_sign_the_cookie_out_once_the_api_has_ended_the_session()
    {
        var api = new FakeApi(() => Task.FromException<HttpContent>(new UnauthorizedAccessException()));
        var (context, http) = CookieOf(new TokenResponse("old-access-token", DateTimeOffset.UtcNow.AddSeconds(-5), "gxr_current", Next.RefreshExpiresAt));

        await new SessionCookieEvents(NewRenewal(), api.Client, TimeProvider.System).ValidatePrincipal(context);

        Assert.That(context.Principal, Is.Null, "rejected");
        Assert.That(http.Response.Headers.SetCookie.ToString(), Does.Contain(".AspNetCore.Cookies=;"), "the cookie is deleted");
    }

    /// <summary>The validation of a sign-in cookie of "ada" that carries <paramref name="tokens"/>, as the cookie handler makes it.</summary>
    private static (CookieValidatePrincipalContext Context, HttpContext Http) CookieOf(TokenResponse tokens)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        var provider = services.BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = provider };
        var scheme = new AuthenticationScheme(CookieAuthenticationDefaults.AuthenticationScheme, null, typeof(CookieAuthenticationHandler));
        var options = provider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme.Name);
        var ticket = new AuthenticationTicket(CookieSignIn.Principal("ada", tokens), CookieSignIn.Properties(tokens), scheme.Name);
        return (new CookieValidatePrincipalContext(http, scheme, options, ticket), http);
    }

    private SessionRenewal NewRenewal() =>
        new(_redisAway, new EphemeralDataProtectionProvider(), new ConfigurationBuilder().Build(), NullLogger<SessionRenewal>.Instance);

    /// <summary>The Api's refresh endpoint as <paramref name="answer"/> says; UnauthorizedAccessException answers 401.</summary>
    private sealed class FakeApi(Func<Task<HttpContent>> answer) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        public ApiClient Client => new(new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri("http://api") }, session: null!);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.That(request.RequestUri!.AbsolutePath, Is.EqualTo("/api/auth/refresh"));
            Interlocked.Increment(ref _calls);
            try
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = await answer() };
            }
            catch (UnauthorizedAccessException)
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }
        }
    }
}
