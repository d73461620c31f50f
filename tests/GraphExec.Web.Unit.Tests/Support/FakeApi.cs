using System.Net;
using System.Text;
using GraphExec.Web.Account;
using GraphExec.Web.Api;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;

namespace GraphExec.Web.Unit.Tests.Support;

/// <summary>
/// The Api, answering each call with the next answer queued (the last one again once the others are used) and keeping
/// what it was sent; Ada is signed in with a token.
/// </summary>
internal sealed class FakeApi : HttpMessageHandler
{
    private readonly Queue<(HttpStatusCode Status, string Body)> _answers = new();
    private readonly List<string> _requests = [];

    public FakeApi(HttpStatusCode status, string answer)
    {
        _answers.Enqueue((status, answer));
        // The token is valid, so the session never asks the browser (no JS runtime) to renew it.
        var session = new Session(new SignedIn(), js: null!, new EphemeralDataProtectionProvider(), TimeProvider.System);
        Client = new ApiClient(new HttpClient(this) { BaseAddress = new Uri("http://api") }, session);
    }

    public ApiClient Client { get; }

    /// <summary>The last request, as <c>METHOD path?query</c>.</summary>
    public string? Request => _requests.LastOrDefault();

    /// <summary>Every request in order, as <c>METHOD path?query</c>.</summary>
    public IReadOnlyList<string> Requests => _requests;

    public string? Body { get; private set; }

    public string? Authorization { get; private set; }

    /// <summary>Answers every call from now on with this.</summary>
    public void Answer(HttpStatusCode status, string answer)
    {
        _answers.Clear();
        _answers.Enqueue((status, answer));
    }

    /// <summary>Answers the call after those already queued with this.</summary>
    public FakeApi Then(HttpStatusCode status, string answer)
    {
        _answers.Enqueue((status, answer));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
        Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Authorization = request.Headers.Authorization?.ToString();
        var (status, answer) = _answers.Count > 1 ? _answers.Dequeue() : _answers.Peek();
        return new HttpResponseMessage(status) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
    }

    private sealed class SignedIn : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(
            SessionClaims.Create("ada", new TokenResponse("token-of-ada", DateTimeOffset.UtcNow.AddHours(1), "gxr_of-ada", DateTimeOffset.UtcNow.AddDays(1)), "test")));
    }
}
