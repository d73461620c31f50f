using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Tests.Graphs;

/// <summary>U+0000 and unpaired surrogates, in parsed JSON and in text a block built, as names and as values.</summary>
public class Finding_text_that_cannot_be_stored
{
    [TestCase("""{ "a": "fine", "b": ["ok", "nul \u0000 here"] }""", "/b/1", "This text holds the character U+0000")]
    [TestCase("""{ "a": { "deep": "x\ud800y" } }""", "/a/deep", "This text holds an unpaired UTF-16 surrogate")]
    [TestCase("""{ "a": "\udc00" }""", "/a", "This text holds an unpaired UTF-16 surrogate")]
    [TestCase("""{ "a": { "na\u0000me": 1 } }""", "/a", "A property name here holds the character U+0000")]
    [TestCase("""{ "ok": 1, "x\ud800": 1 }""", "", "A property name here holds an unpaired UTF-16 surrogate")]
    public void Should_point_at_the_first_text_in_parsed_json(string json, string pointer, string problem)
    {
        var inNode = StorableText.Find(JsonNode.Parse(json), "");
        var inElement = StorableText.Find(JsonElement.Parse(json), "");

        Assert.That(inNode?.Pointer, Is.EqualTo(pointer));
        Assert.That(inNode?.Problem, Does.StartWith(problem));
        Assert.That(inElement, Is.EqualTo(inNode));
    }

    [TestCase("""{ "a": "plain", "b": ["\ud83d\ude00 a pair", 1, null, true], "c": { "d": "\u00e9" } }""")]
    [TestCase("\"\"")]
    [TestCase("42")]
    public void Should_find_nothing_in_text_that_can_be_stored(string json)
    {
        Assert.That(StorableText.Find(JsonNode.Parse(json), ""), Is.Null);
        Assert.That(StorableText.Find(JsonElement.Parse(json), ""), Is.Null);
    }

    [TestCaseSource(nameof(BuiltTexts))]
    public void Should_find_it_in_text_a_block_built(string text, string problem)
    {
        Assert.That(StorableText.Find(new JsonObject { ["list"] = new JsonArray(JsonValue.Create(text)) }, "/out")?.Pointer, Is.EqualTo("/out/list/0"));
        Assert.That(StorableText.Problem(text), Does.Contain(problem));
    }

    /// <summary>Built at run time: an attribute's strings are stored as UTF-8, which has no unpaired surrogate.</summary>
    private static IEnumerable<TestCaseData> BuiltTexts()
    {
        const char high = '\ud800', low = '\udc00';
        yield return new TestCaseData("a\0b", "U+0000").SetArgDisplayNames("U+0000");
        yield return new TestCaseData($"end {high}", "unpaired").SetArgDisplayNames("a high surrogate last");
        yield return new TestCaseData($"{low} start", "unpaired").SetArgDisplayNames("a low surrogate first");
        yield return new TestCaseData($"{high}{high}{low}", "unpaired").SetArgDisplayNames("a high surrogate before a pair");
    }

    [Test]
    public void Should_accept_a_surrogate_pair_built_in_code()
    {
        Assert.That(StorableText.Problem("smile \ud83d\ude00"), Is.Null);
    }
}
