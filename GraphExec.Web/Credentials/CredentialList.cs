using GraphExec.Web.Api;

namespace GraphExec.Web.Credentials;

/// <summary>
/// The page of credentials on show (newest first, as the Api lists them), the way back to the pages before it, and the
/// one row being changed: its value being replaced, or its deletion waiting for a second click.
/// </summary>
public sealed class CredentialList
{
    public const int PageSize = 25;

    private readonly Stack<string?> _previous = new();

    /// <summary>Where the page on show starts; null for the first.</summary>
    public string? Cursor { get; private set; }

    /// <summary>Null until the first page is read.</summary>
    public IReadOnlyList<Credential>? Items { get; private set; }

    public string? NextCursor { get; private set; }

    public int PageNumber => _previous.Count + 1;

    public bool HasNewer => _previous.Count > 0;

    public bool HasOlder => NextCursor is not null;

    /// <summary>Whether there is a pager to show: more than one page.</summary>
    public bool IsPaged => HasNewer || HasOlder;

    /// <summary>The row whose value is being replaced, with its form.</summary>
    public CredentialForm? Replacing { get; private set; }

    /// <summary>The name of the credential whose Delete was clicked once.</summary>
    public string? ConfirmingDelete { get; private set; }

    public void Show(Page<Credential> page)
    {
        Items = page.Items;
        NextCursor = page.NextCursor;
        if (Replacing is { } form && !page.Items.Any(c => c.Name == form.Replacing))
        {
            Replacing = null;
        }
    }

    /// <summary>Moves to the first page, where a credential just stored is listed.</summary>
    public void First()
    {
        _previous.Clear();
        Cursor = null;
    }

    public void Older()
    {
        if (NextCursor is null)
        {
            return;
        }

        _previous.Push(Cursor);
        Cursor = NextCursor;
        Close();
    }

    public void Newer()
    {
        if (_previous.Count == 0)
        {
            return;
        }

        Cursor = _previous.Pop();
        Close();
    }

    /// <summary>
    /// After a deletion emptied a page other than the first, the page before is the one to show (a page is read again
    /// when this answers true).
    /// </summary>
    public bool StepBackIfEmpty()
    {
        if (Items is { Count: 0 } && HasNewer)
        {
            Newer();
            return true;
        }

        return false;
    }

    public void StartReplacing(Credential credential)
    {
        Replacing = CredentialForm.Replace(credential);
        ConfirmingDelete = null;
    }

    public void AskToDelete(Credential credential)
    {
        ConfirmingDelete = credential.Name;
        Replacing = null;
    }

    /// <summary>Shows the credential as the Api answered after its value was replaced, and closes its form.</summary>
    public void Replaced(Credential credential)
    {
        Items = Items?.Select(item => item.Id == credential.Id ? credential : item).ToList();
        Replacing = null;
    }

    /// <summary>Closes the replace form (its typed value with it) and forgets an unconfirmed deletion.</summary>
    public void Close()
    {
        Replacing = null;
        ConfirmingDelete = null;
    }
}
