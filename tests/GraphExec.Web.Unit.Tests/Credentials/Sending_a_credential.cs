using System.Net;
using System.Text;
using System.Text.Json;
using GraphExec.Web.Account;
using GraphExec.Web.Api;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;

namespace GraphExec.Web.Unit.Tests.Credentials;

/// <summary>The UI sends a credential as the Api reads it, and reads the Api's refusal into the form's words.</summary>
public sealed class Sending_a_credential
{
    [Test]
    public async Task Should_post_the_name_value_and_kind_as_the_api_reads_them()
    {
        var api = new FakeApi(HttpStatusCode.Created, """
            {"id":"0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b10","name":"github","kind":"bearerToken","reference":"{{secrets.github}}",
             "createdAt":"2025-03-01T12:00:00+00:00","updatedAt":"2025-03-01T12:00:00+00:00","lastUsedAt":null}
            """);

        var created = await api.Client.CreateCredentialAsync("github", "ghp_0123456789", CredentialKind.BearerToken);

        using var body = JsonDocument.Parse(api.Body!);
        Assert.Multiple(() =>
        {
            Assert.That(api.Request, Is.EqualTo("POST /api/credentials"));
            Assert.That(body.RootElement.GetProperty("name").GetString(), Is.EqualTo("github"));
            Assert.That(body.RootElement.GetProperty("value").GetString(), Is.EqualTo("ghp_0123456789"));
            Assert.That(body.RootElement.GetProperty("kind").GetString(), Is.EqualTo("bearerToken"));
            Assert.That(api.Authorization, Is.EqualTo("Bearer token-of-ada"));
            Assert.That(created.Reference, Is.EqualTo("{{secrets.github}}"));
        });
    }

    [Test]
    public async Task Should_put_a_new_value_at_the_credentials_name()
    {
        var api = new FakeApi(HttpStatusCode.OK, """
            {"id":"0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b10","name":"stripe-live","kind":"apiKey","reference":"{{secrets.stripe-live}}",
             "createdAt":"2025-03-01T12:00:00+00:00","updatedAt":"2025-03-02T12:00:00+00:00","lastUsedAt":"2025-03-01T13:00:00+00:00"}
            """);

        var replaced = await api.Client.ReplaceCredentialAsync("stripe-live", "sk_live_0123456789", CredentialKind.ApiKey);

        using var body = JsonDocument.Parse(api.Body!);
        Assert.Multiple(() =>
        {
            Assert.That(api.Request, Is.EqualTo("PUT /api/credentials/stripe-live"));
            Assert.That(body.RootElement.GetProperty("value").GetString(), Is.EqualTo("sk_live_0123456789"));
            Assert.That(body.RootElement.GetProperty("kind").GetString(), Is.EqualTo("apiKey"));
            Assert.That(body.RootElement.TryGetProperty("name", out _), Is.False);
            Assert.That(replaced.LastUsedAt, Is.Not.Null);
        });
    }

    [Test]
    public void Should_answer_a_taken_name_as_a_problem_at_the_name()
    {
        var api = new FakeApi(HttpStatusCode.Conflict, """
            {"title":"A credential of that name exists.","status":409,"errors":{"name":["This name is taken."]}}
            """);

        var problem = Assert.ThrowsAsync<ApiProblem>(() => api.Client.CreateCredentialAsync("github", "ghp_0123456789", CredentialKind.Secret))!;

        Assert.Multiple(() =>
        {
            Assert.That(problem.Status, Is.EqualTo(409));
            Assert.That(problem.MessagesAt("name"), Is.EqualTo(new[] { "This name is taken." }));
        });
    }

    [Test]
    public async Task Should_list_from_a_cursor_and_delete_by_name()
    {
        var api = new FakeApi(HttpStatusCode.OK, """{"items":[],"nextCursor":null}""");

        await api.Client.ListCredentialsAsync("MDE5OGE", 25);
        Assert.That(api.Request, Is.EqualTo("GET /api/credentials?limit=25&cursor=MDE5OGE"));

        api.Answer(HttpStatusCode.NoContent, "");
        await api.Client.DeleteCredentialAsync("github");
        Assert.That(api.Request, Is.EqualTo("DELETE /api/credentials/github"));
    }

    /// <summary>The Api, answering every call alike and keeping what it was sent; Ada is signed in with a token.</summary>
    private sealed class FakeApi : HttpMessageHandler
    {
        private HttpStatusCode _status;
        private string _answer;

        public FakeApi(HttpStatusCode status, string answer)
        {
            (_status, _answer) = (status, answer);
            // The token is valid, so the session never asks the browser (no JS runtime) to renew it.
            var session = new Session(new SignedIn(), js: null!, new EphemeralDataProtectionProvider(), TimeProvider.System);
            Client = new ApiClient(new HttpClient(this) { BaseAddress = new Uri("http://api") }, session);
        }

        public ApiClient Client { get; }

        public string? Request { get; private set; }

        public string? Body { get; private set; }

        public string? Authorization { get; private set; }

        public void Answer(HttpStatusCode status, string answer) => (_status, _answer) = (status, answer);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = $"{request.Method} {request.RequestUri!.PathAndQuery}";
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            Authorization = request.Headers.Authorization?.ToString();
            return new HttpResponseMessage(_status) { Content = new StringContent(_answer, Encoding.UTF8, "application/json") };
        }
    }

    private sealed class SignedIn : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(
            SessionClaims.Create("ada", new TokenResponse("token-of-ada", DateTimeOffset.UtcNow.AddHours(1), "gxr_of-ada", DateTimeOffset.UtcNow.AddDays(1)), "test")));
    }
}
