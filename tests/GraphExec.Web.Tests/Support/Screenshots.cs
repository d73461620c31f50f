using GraphExec.Testing;

namespace GraphExec.Web.Tests.Support;

/// <summary>Pictures of the main pages for the README, written by the tests that visit them.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot.Find(), "docs", "screenshots");

    public static async Task TakeAsync(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(Folder);

        // Let animations (the running pulse, skeletons) settle so that pictures do not flicker between runs.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Folder, name + ".png"),
            FullPage = fullPage,
            Animations = ScreenshotAnimations.Disabled,
        });
    }
}
