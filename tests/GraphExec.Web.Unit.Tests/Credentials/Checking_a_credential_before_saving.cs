using GraphExec.Contracts;
using GraphExec.Web.Api;
using GraphExec.Web.Credentials;

namespace GraphExec.Web.Unit.Tests.Credentials;

/// <summary>The form checks a name and a value as the Api does, with the Api's words, before anything is sent.</summary>
public sealed class Checking_a_credential_before_saving
{
    [TestCase("github")]
    [TestCase("GITHUB_TOKEN")]
    [TestCase("stripe-live-2")]
    [TestCase("a")]
    public void Should_accept_a_name_a_config_can_write(string name) =>
        Assert.That(CredentialRules.CheckName(name), Is.Null);

    [TestCase("my token")]
    [TestCase("github.token")]
    [TestCase("{{secrets.github}}")]
    [TestCase("clé")]
    public void Should_refuse_a_name_a_config_cannot_write(string name) =>
        Assert.That(CredentialRules.CheckName(name), Is.EqualTo(
            "A name is 1 to 64 letters, digits, '_' or '-', so that a config can write it as {{secrets.NAME}}."));

    [Test]
    public void Should_take_names_of_up_to_64_characters()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CredentialRules.CheckName(new string('a', 64)), Is.Null);
            Assert.That(CredentialRules.CheckName(new string('a', 65)), Is.Not.Null);
            Assert.That(CredentialRules.CheckName(""), Is.EqualTo("A name is required."));
        });
    }

    [Test]
    public void Should_take_values_from_8_to_16384_characters()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CredentialRules.CheckValue(""), Is.EqualTo("A value is required."));
            Assert.That(CredentialRules.CheckValue("1234567"), Is.EqualTo(
                "The value is too short to be masked in run results: use at least 8 characters."));
            Assert.That(CredentialRules.CheckValue("12345678"), Is.Null);
            Assert.That(CredentialRules.CheckValue(new string('k', 16384)), Is.Null);
            Assert.That(CredentialRules.CheckValue(new string('k', 16385)), Is.EqualTo("The value is too long: at most 16384 characters."));
        });
    }

    [Test]
    public void Should_keep_the_line_breaks_of_a_key_and_refuse_other_control_characters()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CredentialRules.CheckValue("-----BEGIN KEY-----\r\nMIIB\tAA==\n-----END KEY-----\n"), Is.Null);
            Assert.That(CredentialRules.CheckValue("secret\u0007value"), Is.EqualTo(
                "The value holds a control character; only line breaks and tabs are allowed."));
        });
    }

    [Test]
    public void Should_point_at_each_field_at_fault_and_send_nothing()
    {
        var form = CredentialForm.New();
        form.Name = "my token";
        form.Value = "short";

        var ready = form.Check();

        Assert.Multiple(() =>
        {
            Assert.That(ready, Is.False);
            Assert.That(form.NameError, Does.StartWith("A name is 1 to 64 letters"));
            Assert.That(form.ValueError, Does.StartWith("The value is too short"));
            Assert.That(form.Error, Is.Null);
        });
    }

    [Test]
    public void Should_trim_the_name_and_show_the_reference_it_makes()
    {
        var form = CredentialForm.New();
        Assert.That(form.Reference, Is.Null);

        form.Name = " github ";
        form.Value = "ghp_0123456789";

        Assert.Multiple(() =>
        {
            Assert.That(form.Reference, Is.EqualTo("{{secrets.github}}"));
            Assert.That(form.Check(), Is.True);
            Assert.That(form.Name, Is.EqualTo("github"));
        });
    }

    [Test]
    public void Should_not_check_the_name_of_a_credential_being_replaced()
    {
        var form = CredentialForm.Replace(Stored.Named("github", CredentialKind.BearerToken));
        form.Value = "ghp_the_new_one";

        Assert.Multiple(() =>
        {
            Assert.That(form.Check(), Is.True);
            Assert.That(form.Replacing, Is.EqualTo("github"));
            Assert.That(form.Kind, Is.EqualTo(CredentialKind.BearerToken));
        });
    }

    [Test]
    public void Should_forget_the_value_once_saved()
    {
        var form = CredentialForm.New();
        form.Name = "github";
        form.Kind = CredentialKind.ApiKey;
        form.Value = "ghp_0123456789";
        form.ShowValue = true;

        form.Saved();

        Assert.Multiple(() =>
        {
            Assert.That(form.Value, Is.Empty);
            Assert.That(form.ShowValue, Is.False);
            Assert.That(form.ValueInputType, Is.EqualTo("password"));
            Assert.That(form.Name, Is.Empty);
            Assert.That(form.Kind, Is.EqualTo(CredentialKind.Secret));
        });
    }
}
