using System.Text.Json;
using GraphExec.Web.Api;
using GraphExec.Web.Credentials;

namespace GraphExec.Web.Unit.Tests.Credentials;

/// <summary>A credential as the list shows it: its kind in words, and whether and when a run last used it.</summary>
public sealed class Describing_a_credential
{
    private static readonly DateTimeOffset Now = Stored.Created.AddDays(3);

    [Test]
    public void Should_say_never_used_until_a_run_reads_it()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CredentialText.LastUsed(null, Now), Is.EqualTo("never used"));
            Assert.That(CredentialText.LastUsed(Now.AddMinutes(-3), Now), Is.EqualTo("last used 3 min ago"));
            Assert.That(CredentialText.LastUsed(Stored.Created, Now), Is.EqualTo("last used 1 Mar 2025"));
        });
    }

    [Test]
    public void Should_say_when_the_value_was_replaced_only_once_it_was()
    {
        var created = Stored.Named("github");

        Assert.Multiple(() =>
        {
            Assert.That(CredentialText.Replaced(created, Now), Is.Null);
            Assert.That(CredentialText.Replaced(created with { UpdatedAt = Now.AddHours(-2) }, Now), Is.EqualTo("value replaced 2 h ago"));
        });
    }

    [Test]
    public void Should_name_every_kind_in_words()
    {
        Assert.That(CredentialText.Kinds.Select(CredentialText.Kind), Is.EqualTo(new[] { "Secret", "API key", "Bearer token", "Password" }));
    }

    [Test]
    public void Should_read_a_credential_as_the_api_sends_it()
    {
        const string json = """
            {"items":[{"id":"0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b10","name":"github","kind":"bearerToken","reference":"{{secrets.github}}",
                       "createdAt":"2025-03-01T12:00:00+00:00","updatedAt":"2025-03-01T12:00:00+00:00","lastUsedAt":null}],
             "nextCursor":"MDE5OGExZjY"}
            """;

        var page = JsonSerializer.Deserialize<Page<Credential>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Multiple(() =>
        {
            Assert.That(page.Items.Single().Kind, Is.EqualTo(CredentialKind.BearerToken));
            Assert.That(page.Items.Single().Reference, Is.EqualTo("{{secrets.github}}"));
            Assert.That(page.Items.Single().LastUsedAt, Is.Null);
            Assert.That(page.NextCursor, Is.EqualTo("MDE5OGExZjY"));
        });
    }
}
