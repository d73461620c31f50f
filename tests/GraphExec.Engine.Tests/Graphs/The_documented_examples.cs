using System.Text.RegularExpressions;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Graphs;

/// <summary>Every graph shown in docs/graphs.md must be valid, so the documentation cannot drift from the engine.</summary>
public partial class The_documented_examples
{
    private static IEnumerable<TestCaseData> Examples()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "graphs.md");
        var index = 0;
        foreach (Match block in JsonBlock().Matches(File.ReadAllText(path)))
        {
            var json = block.Groups[1].Value;
            var name = Regex.Match(json, "\"name\": \"([^\"]+)\"").Groups[1].Value;
            yield return new TestCaseData(json).SetName($"Should_be_valid {++index} {name}");
        }
    }

    [TestCaseSource(nameof(Examples))]
    public void Should_be_valid(string json)
    {
        var result = TestGraphs.Validator.Validate(json);

        Assert.That(result.Errors, Is.Empty);
    }

    [Test]
    public void Should_show_an_example_of_every_block()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "graphs.md"));

        foreach (var block in TestGraphs.Catalog.Descriptors)
        {
            Assert.That(text, Does.Contain($"\"block\": \"{block.Name}\""), block.Name);
            Assert.That(text, Does.Contain($"### {block.Name}"), block.Name);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GraphExec.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("The repository root (with GraphExec.sln) was not found.");
    }

    [GeneratedRegex("```json\\n(\\{.*?\\n\\})\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
