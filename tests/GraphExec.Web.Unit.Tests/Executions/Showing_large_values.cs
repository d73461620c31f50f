using System.Text.Json;
using GraphExec.Web.Executions;

namespace GraphExec.Web.Unit.Tests.Executions;

public sealed class Showing_large_values
{
    private const string Key = "5f1c0e2a9b7d4c3e8a6f0b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4";

    [Test]
    public void Should_show_an_object_of_small_values_whole()
    {
        Assert.That(StoredValue.Split(Parse("""{ "greeting": "Hello, Ada!", "n": 3 }""")), Is.Null);
        Assert.That(StoredValue.Split(null), Is.Null);
    }

    [Test]
    public void Should_split_an_object_with_a_reference_into_its_values()
    {
        var values = StoredValue.Split(Parse($$"""
            { "small": "s", "text": { "$ref": "{{Key}}", "bytes": 5242882, "preview": "\"xxxx", "href": "/api/executions/1/values/{{Key}}" } }
            """))!;

        Assert.That(values.Select(v => v.Name), Is.EqualTo(new[] { "small", "text" }));
        Assert.That(values[0].Large, Is.Null);
        Assert.That(values[1].Large, Is.EqualTo(new LargeValue(Key, 5242882, "\"xxxx")));
        Assert.That(values[1].Large!.Size, Is.EqualTo("5.0 MiB"));
    }

    [TestCase(512, "512 bytes")]
    [TestCase(70 * 1024, "70.0 KiB")]
    [TestCase(1536 * 1024, "1.5 MiB")]
    public void Should_give_the_size_for_a_person(long bytes, string size) =>
        Assert.That(new LargeValue(Key, bytes, "").Size, Is.EqualTo(size));

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
