using GraphExec.Web.Api;
using GraphExec.Web.Credentials;

namespace GraphExec.Web.Unit.Tests.Credentials;

/// <summary>The list pages through the Api's cursors and back, and keeps at most one row open for a change.</summary>
public sealed class Paging_through_credentials
{
    [Test]
    public void Should_go_to_older_pages_and_back_by_the_cursors_the_api_gave()
    {
        var list = new CredentialList();
        list.Show(Stored.Page("c2", "newest"));
        Assert.Multiple(() =>
        {
            Assert.That(list.Cursor, Is.Null);
            Assert.That(list.HasNewer, Is.False);
            Assert.That(list.HasOlder, Is.True);
        });

        list.Older();
        Assert.That(list.Cursor, Is.EqualTo("c2"));
        list.Show(Stored.Page("c3", "older"));
        list.Older();
        list.Show(Stored.Page(null, "oldest"));

        Assert.Multiple(() =>
        {
            Assert.That(list.Cursor, Is.EqualTo("c3"));
            Assert.That(list.PageNumber, Is.EqualTo(3));
            Assert.That(list.HasOlder, Is.False);
        });

        list.Newer();
        Assert.That(list.Cursor, Is.EqualTo("c2"));
        list.Newer();
        Assert.Multiple(() =>
        {
            Assert.That(list.Cursor, Is.Null);
            Assert.That(list.PageNumber, Is.EqualTo(1));
        });
    }

    [Test]
    public void Should_show_no_pager_when_everything_fits_on_one_page()
    {
        var list = new CredentialList();
        list.Show(Stored.Page(null, "github", "stripe"));

        Assert.That(list.IsPaged, Is.False);
    }

    [Test]
    public void Should_go_back_to_the_first_page_where_a_new_credential_is_listed()
    {
        var list = new CredentialList();
        list.Show(Stored.Page("c2", "a"));
        list.Older();

        list.First();

        Assert.Multiple(() =>
        {
            Assert.That(list.Cursor, Is.Null);
            Assert.That(list.HasNewer, Is.False);
        });
    }

    [Test]
    public void Should_step_back_a_page_when_a_deletion_empties_the_last_one()
    {
        var list = new CredentialList();
        list.Show(Stored.Page("c2", "a"));
        list.Older();
        list.Show(Stored.Page(null));

        Assert.Multiple(() =>
        {
            Assert.That(list.StepBackIfEmpty(), Is.True);
            Assert.That(list.Cursor, Is.Null);
        });

        list.Show(Stored.Page(null));
        Assert.That(list.StepBackIfEmpty(), Is.False, "the first page, empty, is the empty state");
    }

    [Test]
    public void Should_open_one_row_at_a_time_for_a_new_value_or_a_deletion()
    {
        var github = Stored.Named("github", CredentialKind.BearerToken);
        var stripe = Stored.Named("stripe");
        var list = new CredentialList();
        list.Show(new Page<Credential>([github, stripe], null));

        list.StartReplacing(github);
        Assert.Multiple(() =>
        {
            Assert.That(list.Replacing?.Replacing, Is.EqualTo("github"));
            Assert.That(list.Replacing?.Kind, Is.EqualTo(CredentialKind.BearerToken));
        });

        list.AskToDelete(stripe);
        Assert.Multiple(() =>
        {
            Assert.That(list.ConfirmingDelete, Is.EqualTo("stripe"));
            Assert.That(list.Replacing, Is.Null, "asking to delete closes the form and drops what was typed in it");
        });

        list.StartReplacing(stripe);
        Assert.That(list.ConfirmingDelete, Is.Null);
    }

    [Test]
    public void Should_show_the_credential_as_the_api_answered_once_its_value_is_replaced()
    {
        var github = Stored.Named("github");
        var list = new CredentialList();
        list.Show(new Page<Credential>([github, Stored.Named("stripe")], null));
        list.StartReplacing(github);

        var replaced = github with { Kind = CredentialKind.ApiKey, UpdatedAt = github.UpdatedAt.AddMinutes(5) };
        list.Replaced(replaced);

        Assert.Multiple(() =>
        {
            Assert.That(list.Items![0], Is.EqualTo(replaced));
            Assert.That(list.Items.Select(c => c.Name), Is.EqualTo(new[] { "github", "stripe" }));
            Assert.That(list.Replacing, Is.Null);
        });
    }

    [Test]
    public void Should_close_a_form_whose_credential_is_gone_from_the_page()
    {
        var github = Stored.Named("github");
        var list = new CredentialList();
        list.Show(new Page<Credential>([github], null));
        list.StartReplacing(github);

        list.Show(Stored.Page(null, "stripe"));

        Assert.That(list.Replacing, Is.Null);
    }
}
