namespace GraphExec.Web.Tests.Support;

/// <summary>Debian's Chromium, driven by Playwright (no browser download: the test script installs the package).</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The machine is shared and busy: waits are generous, and a wait is never an assertion about speed.</summary>
    public const float Timeout = 60_000;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        return (playwright, browser);
    }

    public static async Task<IPage> NewPageAsync(IBrowser browser, Uri baseUrl, int width = 1440, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 1,
        });
        context.SetDefaultTimeout(Timeout);
        Assertions.SetDefaultExpectTimeout(Timeout);
        return await context.NewPageAsync();
    }
}
