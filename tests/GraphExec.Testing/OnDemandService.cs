namespace GraphExec.Testing;

/// <summary>
/// A service of this repository as a process of its own, started when a test first needs it and kept for the rest of
/// the run, so that tests which do not need it never wait for it. Disposing stops it.
/// </summary>
/// <param name="project">The project, e.g. <c>GraphExec.Worker</c>.</param>
/// <param name="settings">Its configuration, read when it starts (the run's servers exist by then).</param>
public sealed class OnDemandService(string project, Func<IReadOnlyDictionary<string, string>> settings) : IDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private ServiceProcess? _process;

    /// <summary>What the service wrote lately, or nothing while it has not started.</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>The running service, started now unless it runs already.</summary>
    public async Task<ServiceProcess> StartAsync()
    {
        await _starting.WaitAsync();
        try
        {
            return _process ??= await ServiceProcess.StartAsync(project, settings());
        }
        finally
        {
            _starting.Release();
        }
    }

    public void Dispose()
    {
        _process?.Dispose();
        _starting.Dispose();
    }
}
