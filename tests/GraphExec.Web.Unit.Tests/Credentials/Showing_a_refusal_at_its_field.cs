using System.Net;
using System.Text;
using GraphExec.Contracts;
using GraphExec.Web.Api;
using GraphExec.Web.Credentials;

namespace GraphExec.Web.Unit.Tests.Credentials;

/// <summary>What the Api refuses is shown at the field it is about, in the Api's words; the rest above the button.</summary>
public sealed class Showing_a_refusal_at_its_field
{
    [Test]
    public async Task Should_place_each_validation_error_at_its_field()
    {
        var form = Filled();
        var problem = await Read(HttpStatusCode.BadRequest, """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"The credential cannot be stored.","status":400,
             "errors":{"name":["A name is 1 to 64 letters, digits, '_' or '-', so that a config can write it as {{secrets.NAME}}."],
                       "value":["The value holds a NUL character."]}}
            """);

        form.Refused(problem);

        Assert.Multiple(() =>
        {
            Assert.That(form.NameError, Does.StartWith("A name is 1 to 64 letters"));
            Assert.That(form.ValueError, Is.EqualTo("The value holds a NUL character."));
            Assert.That(form.Error, Is.Null, "every message is at a field");
        });
    }

    [Test]
    public async Task Should_say_at_the_name_that_it_is_taken_and_how_to_change_its_value()
    {
        var form = Filled();
        var problem = await Read(HttpStatusCode.Conflict, """
            {"title":"A credential of that name exists.","status":409,
             "detail":"You already have a credential named 'github': replace its value with PUT /api/credentials/github.",
             "errors":{"name":["This name is taken."]}}
            """);

        form.Refused(problem);

        Assert.Multiple(() =>
        {
            Assert.That(form.NameError, Is.EqualTo("You already have a credential named 'github'. To change its value, use Replace value on it in the list."));
            Assert.That(form.ValueError, Is.Null);
            Assert.That(form.Error, Is.Null);
        });
    }

    [Test]
    public async Task Should_name_the_quota_above_the_button()
    {
        var form = Filled();
        var problem = await Read(HttpStatusCode.Forbidden, """
            {"title":"Over quota.","status":403,"detail":"You have reached your quota of 1,000 credentials.","quota":"credentials","limit":1000}
            """);

        form.Refused(problem);

        Assert.Multiple(() =>
        {
            Assert.That(form.Error, Is.EqualTo("Over quota: You have reached your quota of 1,000 credentials."));
            Assert.That(form.NameError, Is.Null);
            Assert.That(form.ValueError, Is.Null);
        });
    }

    [Test]
    public async Task Should_clear_the_last_refusal_when_checked_again()
    {
        var form = Filled();
        form.Refused(await Read(HttpStatusCode.Forbidden, """{"title":"Over quota.","status":403,"detail":"No more."}"""));

        Assert.That(form.Check(), Is.True);
        Assert.That(form.Error, Is.Null);
    }

    private static CredentialForm Filled()
    {
        var form = CredentialForm.New();
        form.Name = "github";
        form.Value = "ghp_0123456789";
        return form;
    }

    private static async Task<ApiProblem> Read(HttpStatusCode status, string json)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/problem+json") };
        return await ProblemReader.ReadAsync(response, CancellationToken.None);
    }
}
