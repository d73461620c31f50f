using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Executions;
using GraphExec.Core.Values;
using GraphExec.Engine;

namespace GraphExec.Core.Tests.Values;

public sealed class Offloading_values
{
    private static readonly ValueLimits Limits = new(InlineThresholdBytes: 1024, MaxValueBytes: 10_000);

    [Test]
    public void Should_write_small_values_exactly_as_they_were_stored_before()
    {
        var values = new Dictionary<string, JsonNode?> { ["who"] = "Ada", ["n"] = 3, ["none"] = null, ["list"] = new JsonArray(1, "<&>") };

        var offloaded = ValueOffload.Object(values, Limits);

        Assert.That(offloaded.Large, Is.Empty);
        Assert.That(offloaded.Json, Is.EqualTo(JsonText.Object(values)));
    }

    [Test]
    public void Should_replace_a_value_over_the_threshold_by_its_reference()
    {
        var text = new string('x', 2000);

        var offloaded = ValueOffload.Object(new Dictionary<string, JsonNode?> { ["big"] = text, ["small"] = "s" }, Limits);

        var large = offloaded.Large.Single();
        Assert.That(large.Json.ToArray(), Is.EqualTo(JsonSerializer.SerializeToUtf8Bytes(text)));
        var stored = JsonNode.Parse(offloaded.Json)!.AsObject();
        Assert.That(stored["small"]!.GetValue<string>(), Is.EqualTo("s"));
        var reference = ValueReference.From(stored["big"])!;
        Assert.That(reference.Key, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(large.Json.Span))));
        Assert.That(reference.Bytes, Is.EqualTo(2002));
        Assert.That(reference.Preview, Has.Length.EqualTo(BlobOptions.PreviewBytes).And.StartWith("\"xxx"));
    }

    [Test]
    public void Should_measure_escaped_text_exactly_at_the_threshold()
    {
        // 200 characters that JSON escapes to six bytes each: measured small, written 1202 bytes.
        var escaped = new string('<', 200);

        var offloaded = ValueOffload.Object(new Dictionary<string, JsonNode?> { ["escaped"] = escaped }, Limits);

        Assert.That(offloaded.Large.Single().Json.Length, Is.EqualTo(1202));
    }

    [Test]
    public void Should_store_a_user_value_that_looks_like_a_reference_as_a_blob_whatever_its_size()
    {
        var lookalike = new JsonObject { ["$ref"] = "#/definitions/x" };

        var offloaded = ValueOffload.Object(new Dictionary<string, JsonNode?> { ["schema"] = lookalike }, Limits);

        Assert.That(Encoding(offloaded.Large.Single().Json), Is.EqualTo("""{"$ref":"#/definitions/x"}"""));
        Assert.That(ValueReference.From(JsonNode.Parse(offloaded.Json)!["schema"])!.Key, Has.Length.EqualTo(64));
    }

    [Test]
    public void Should_refuse_a_value_over_the_maximum_naming_it()
    {
        var tooLarge = Assert.Throws<ValueTooLargeToStoreException>(
            () => ValueOffload.Object(new Dictionary<string, JsonNode?> { ["huge"] = new string('x', 20_000) }, Limits));

        Assert.That(tooLarge.Name, Is.EqualTo("huge"));
        Assert.That(tooLarge.Bytes, Is.EqualTo(20_002));
    }

    [Test]
    public void Should_tell_outputs_with_nothing_large_without_measuring_them_whole()
    {
        var small = new Dictionary<string, JsonNode?> { ["a"] = "b", ["n"] = null };
        var mixed = new Dictionary<string, JsonNode?> { ["a"] = "b", ["big"] = new string('y', 5000) };
        var lookalike = new Dictionary<string, JsonNode?> { ["a"] = new JsonObject { ["$ref"] = "x" } };

        Assert.That(ValueOffload.AreSmall(small, Limits), Is.True);
        Assert.That(ValueOffload.AreSmall(mixed, Limits), Is.False);
        Assert.That(ValueOffload.AreSmall(lookalike, Limits), Is.False, "a user's value shaped like a reference is offloaded");
    }

    [Test]
    public void Should_name_blobs_by_the_day_of_the_execution_id_and_parse_them_back()
    {
        var created = new DateTimeOffset(2026, 12, 1, 23, 59, 0, TimeSpan.Zero);
        var execution = new ExecutionKey(Guid.NewGuid(), Guid.CreateVersion7(created));
        var key = new string('a', 64);

        var name = BlobNames.Of(execution, key);

        Assert.That(name, Is.EqualTo($"2026-12-01/{execution.OwnerId:N}/{execution.ExecutionId:N}/{key}"));
        Assert.That(BlobNames.Parse(name), Is.EqualTo((execution, key)));
        Assert.That(BlobNames.Parse("2026-12-02/" + name[11..]), Is.Null);
    }

    [Test]
    public void Should_cap_error_messages_with_a_note_of_what_was_cut()
    {
        var error = new ExecutionError(ExecutionError.BlockFailed, new string('e', ErrorMessages.MaxLength + 100), "n");

        var capped = ErrorMessages.Capped(error);

        Assert.That(capped.Message, Does.StartWith(new string('e', ErrorMessages.MaxLength)).And.EndWith("(100 more characters cut)"));
        Assert.That(ErrorMessages.Capped(error with { Message = "short" }).Message, Is.EqualTo("short"));
    }

    private static string Encoding(ReadOnlyMemory<byte> json) => System.Text.Encoding.UTF8.GetString(json.Span);
}
