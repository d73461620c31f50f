using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using GraphExec.Testing;

namespace GraphExec.Live.Tests;

/// <summary>
/// <c>node/watch-runs.mjs</c>: Microsoft's <c>@microsoft/signalr</c> package from npm with its default options, run with
/// Node or in Chromium (driven by <c>playwright-core</c>); the first use installs the packages from the lock file. Each JSON
/// line the script prints is one result.
/// </summary>
public sealed class OfficialJavaScriptClient : IDisposable
{
    /// <summary>Only to end a hung test; nothing is timed.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static readonly SemaphoreSlim s_install = new(1, 1);

    private readonly Process _node;
    private readonly Channel<JsonElement> _lines = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _errors = [];

    private OfficialJavaScriptClient(Process node) => _node = node;

    private static string Folder => Path.Combine(RepositoryRoot.Find(), "tests", "GraphExec.Live.Tests", "node");

    /// <summary>Runs the script in <paramref name="mode"/> with <paramref name="environment"/>.</summary>
    public static async Task<OfficialJavaScriptClient> StartAsync(string mode, IReadOnlyDictionary<string, string> environment)
    {
        await InstallAsync();
        var start = new ProcessStartInfo("node", ["watch-runs.mjs", mode])
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var client = new OfficialJavaScriptClient(new Process { StartInfo = start });
        client._node.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                client._lines.Writer.TryComplete();
            }
            else if (line.Data.StartsWith('{'))
            {
                client._lines.Writer.TryWrite(JsonDocument.Parse(line.Data).RootElement.Clone());
            }
        };
        client._node.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (client._errors)
                {
                    client._errors.Add(line.Data);
                }
            }
        };
        client._node.Start();
        client._node.BeginOutputReadLine();
        client._node.BeginErrorReadLine();
        return client;
    }

    /// <summary>The next line the script prints.</summary>
    public async Task<JsonElement> NextAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            return await _lines.Reader.ReadAsync(patience.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            Assert.Fail($"The script printed nothing more.{Environment.NewLine}{Errors}{Environment.NewLine}{TestRun.Output}");
            throw;
        }
    }

    public void Dispose()
    {
        if (!_node.HasExited)
        {
            _node.Kill();
        }

        _node.Dispose();
    }

    private string Errors
    {
        get
        {
            lock (_errors)
            {
                return string.Join(Environment.NewLine, _errors.TakeLast(20));
            }
        }
    }

    private static async Task InstallAsync()
    {
        await s_install.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(Folder, "node_modules", "@microsoft", "signalr"))
                && Directory.Exists(Path.Combine(Folder, "node_modules", "playwright-core")))
            {
                return;
            }

            using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"])
            {
                WorkingDirectory = Folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var errors = npm.StandardError.ReadToEndAsync();
            await npm.StandardOutput.ReadToEndAsync();
            await npm.WaitForExitAsync();
            Assert.That(npm.ExitCode, Is.Zero, $"npm ci failed: {await errors}");
        }
        finally
        {
            s_install.Release();
        }
    }
}
