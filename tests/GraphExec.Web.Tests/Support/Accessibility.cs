using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace GraphExec.Web.Tests.Support;

/// <summary>
/// An axe-core scan of the page as it is now, against the WCAG 2.0 and 2.1 A and AA rules. axe's script is bundled in
/// Deque.AxeCore.Commons and evaluated by Playwright, so a scan needs no network and the content security policy does
/// not apply to it.
/// </summary>
public static class Accessibility
{
    private const int ShownNodes = 3;
    private const int ShownHtml = 240;

    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>Scans once the page shows what the test waited for; fails with each violation's rule, help and first elements.</summary>
    public static async Task AssertNoViolationsAsync(IPage page, string pageName)
    {
        var result = await page.RunAxe(Wcag21AA);
        var violations = result.Violations ?? [];

        Assert.That(violations.Select(v => v.Id), Is.Empty, () => Describe(pageName, page.Url, violations));
    }

    private static string Describe(string pageName, string url, IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder($"accessibility violations on {pageName} ({url}):");
        foreach (var violation in violations)
        {
            text.AppendLine().Append($"- {violation.Id} ({violation.Impact}): {violation.Help} [{violation.Nodes.Length} element(s)] {violation.HelpUrl}");
            foreach (var node in violation.Nodes.Take(ShownNodes))
            {
                var html = node.Html.Length > ShownHtml ? node.Html[..ShownHtml] + "…" : node.Html;
                text.AppendLine().Append($"    {node.Target}: {html}");
                foreach (var check in (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []))
                {
                    text.AppendLine().Append("      ").Append(check.Message.ReplaceLineEndings(" "));
                }
            }
        }

        return text.ToString();
    }
}
