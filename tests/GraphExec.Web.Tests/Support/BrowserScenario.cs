namespace GraphExec.Web.Tests.Support;

/// <summary>Base of each scenario class: one whole app and one Chromium per fixture, a fresh browser context per test.</summary>
public abstract class BrowserScenario
{
    private readonly List<string> _refused = [];
    private IPlaywright _playwright = null!;

    protected WholeApp App { get; private set; } = null!;

    protected IBrowser Chromium { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        App = await WholeApp.StartAsync();
        (_playwright, Chromium) = await Browser.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>Every scenario also proves that the pages work under their content security policy: nothing is refused.</summary>
    [TearDown]
    public void NothingRefusedByTheContentSecurityPolicy()
    {
        List<string> refused;
        lock (_refused)
        {
            refused = [.. _refused];
            _refused.Clear();
        }

        Assert.That(refused, Is.Empty, "the browser refused something under the page's content security policy");
    }

    protected async Task<IPage> NewPageAsync(int width = 1440, int height = 900)
    {
        var page = await Browser.NewPageAsync(Chromium, App.Web, width, height);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (_refused)
                {
                    _refused.Add(message.Text);
                }
            }
        };
        return page;
    }
}
