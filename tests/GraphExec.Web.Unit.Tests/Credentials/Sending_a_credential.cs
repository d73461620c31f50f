using System.Net;
using System.Text.Json;
using GraphExec.Contracts;
using GraphExec.Web.Api;
using GraphExec.Web.Unit.Tests.Support;

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
}
