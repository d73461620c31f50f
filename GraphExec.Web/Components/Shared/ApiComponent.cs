using GraphExec.Contracts;
using GraphExec.Web.Account;
using GraphExec.Web.Api;
using Microsoft.AspNetCore.Components;

namespace GraphExec.Web.Components.Shared;

/// <summary>
/// Base of the pages that call the Api: <see cref="TryAsync"/> turns every failure into <see cref="ErrorMessage"/>
/// (words, never an exception), and an expired session into a trip to the sign-in page.
/// </summary>
public abstract class ApiComponent : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private bool _isDisposed;

    [Inject]
    protected ApiClient Api { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    /// <summary>What went wrong with the last call, for a person; null when it worked.</summary>
    protected string? ErrorMessage { get; set; }

    /// <summary>The last failure with its located issues (e.g. a graph's validation problems).</summary>
    protected ApiProblem? Problem { get; set; }

    /// <summary>Cancelled when the person leaves the page.</summary>
    protected CancellationToken Aborted => _disposed.Token;

    protected async Task<bool> TryAsync(Func<CancellationToken, Task> action)
    {
        try
        {
            await action(_disposed.Token);
            ErrorMessage = null;
            Problem = null;
            return true;
        }
        catch (SessionExpiredException)
        {
            var returnUrl = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
            Navigation.NavigateTo($"/signin?expired=true&returnUrl={Uri.EscapeDataString(returnUrl)}", forceLoad: true);
        }
        catch (ApiProblem problem)
        {
            Problem = problem;
            ErrorMessage = problem.Message;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The person left the page.
        }

        return false;
    }

    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }

        _isDisposed = true;
        _disposed.Cancel();
        _disposed.Dispose();
        OnDisposed();
        GC.SuppressFinalize(this);
    }

    protected virtual void OnDisposed()
    {
    }
}
