namespace GraphExec.Web.Tests.Support;

/// <summary>Base of each scenario class: one whole app and one Chromium per fixture, a fresh browser context per test.</summary>
public abstract class BrowserScenario
{
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

    protected Task<IPage> NewPageAsync(int width = 1440, int height = 900) => Browser.NewPageAsync(Chromium, App.Web, width, height);
}
