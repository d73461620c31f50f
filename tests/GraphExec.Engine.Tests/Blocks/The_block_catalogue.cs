using System.Text.Json;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Json;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Blocks;

public class The_block_catalogue
{
    private static IEnumerable<BlockDescriptor> Blocks() => TestGraphs.Catalog.Descriptors;

    [Test]
    public void Should_list_the_standard_blocks_by_name()
    {
        Assert.That(TestGraphs.Catalog.Descriptors.Select(d => d.Name), Is.EqualTo(new[]
        {
            "branch", "coalesce", "constant", "delay", "expression", "fail", "foreach", "http", "input", "json", "output", "subgraph", "switch", "template",
        }));
    }

    [TestCaseSource(nameof(Blocks))]
    public void Should_describe_each_block_with_a_valid_example(BlockDescriptor block)
    {
        Assert.That(block.Description, Is.Not.Empty);
        Assert.That(block.Examples, Is.Not.Empty);
        TestGraphs.Catalog.TryGetBlock(block.Name, out var bindable);
        foreach (var example in block.Examples)
        {
            var errors = new List<ConfigError>();
            Assert.That(bindable!.Bind(example.Config, errors), Is.Not.Null, () => $"{example.Description}: {string.Join("; ", errors)}");
        }
    }

    [Test]
    public void Should_serialize_for_the_api_with_ports_and_schemas()
    {
        var json = JsonSerializer.SerializeToElement(TestGraphs.Catalog.Descriptors, GraphExecJsonContext.Default.IReadOnlyListBlockDescriptor);

        var template = json.EnumerateArray().Single(b => b.GetProperty("name").GetString() == "template");
        Assert.Multiple(() =>
        {
            Assert.That(template.GetProperty("outputs")[0].GetProperty("name").GetString(), Is.EqualTo("text"));
            Assert.That(template.GetProperty("outputs")[0].GetProperty("type").GetString(), Is.EqualTo("string"));
            Assert.That(template.GetProperty("configSchema").GetProperty("required")[0].GetString(), Is.EqualTo("template"));
            Assert.That(template.GetProperty("examples")[0].GetProperty("config").GetProperty("template").GetString(), Is.EqualTo("Hello, {{who}}!"));
            Assert.That(template.GetProperty("join").GetString(), Is.EqualTo("all"));
        });
    }

    [Test]
    public void Should_refuse_two_blocks_with_one_name()
    {
        var duplicate = new LambdaBlock("template", [], [], _ => ValueTask.CompletedTask);

        Assert.That(() => TestGraphs.Catalog.With(duplicate), Throws.ArgumentException.With.Message.StartWith("Two blocks are named 'template'."));
    }
}
