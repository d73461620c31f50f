using System.Text;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Validation;

/// <summary>Random and mutated documents must only ever produce validation errors, never an exception.</summary>
public class Fuzzing_the_validator
{
    private const int Seed = 20_301;
    private const int Iterations = 3_000;

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e999", "0.5", "\"id\"", "\"nodes\"", "\"edges\"", "\"config\"",
        "\"{{\"", "\"}}\"", "\"a.b\"", "\"x.value\"", "\"((((\"", "\\u0000", "\"retry\"", "\"onError\"", "9999999999", "\"\"", "\"template\"",
    ];

    private static string[] Seeds() =>
    [
        .. TestGraphs.Catalog.Descriptors.SelectMany(block => block.Examples.Select(example => $$"""
            { "name": "Seed", "nodes": [
                { "id": "in", "block": "input", "config": { "name": "who" } },
                { "id": "node", "block": "{{block.Name}}", "config": {{example.Config.GetRawText()}}, "retry": { "maxAttempts": 2 } },
                { "id": "out", "block": "output", "config": { "name": "out" } }
              ],
              "edges": [{ "from": "in.value", "to": "node.who" }, { "from": "node.value", "to": "out.value" }] }
            """)),
    ];

    [Test]
    public void Should_answer_mutated_graphs_with_errors_only()
    {
        var random = new Random(Seed);
        var seeds = Seeds();
        var outcomes = new Dictionary<bool, int> { [true] = 0, [false] = 0 };

        for (var i = 0; i < Iterations; i++)
        {
            var document = Mutate(seeds[random.Next(seeds.Length)], random, random.Next(1, 6));
            var result = TestGraphs.Validator.Validate(document);

            outcomes[result.IsValid]++;
            Assert.That(result.IsValid || result.Errors.Count > 0, Is.True, document);
            Assert.That(result.Errors, Has.All.Matches<GraphExec.Engine.Validation.ValidationError>(
                e => (e.Pointer.Length == 0 || e.Pointer[0] == '/') && e.Message.Length > 0 && e.Code.Length > 0), document);
        }

        Assert.That(outcomes[false], Is.GreaterThan(Iterations / 2), "most mutations should break the graph");
    }

    [Test]
    public void Should_answer_random_bytes_with_errors_only()
    {
        var random = new Random(Seed);
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);

            var result = TestGraphs.Validator.Validate(bytes);

            Assert.That(result.IsValid, Is.False);
            Assert.That(result.Errors, Is.Not.Empty);
        }
    }

    [Test]
    public void Should_answer_deeply_nested_json_with_an_error()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);

        var result = TestGraphs.Validator.Validate(deep);

        Assert.That(result.Errors.Single().Code, Is.EqualTo("invalid_json"));
    }

    [Test]
    public void Should_bind_random_configs_without_throwing()
    {
        var random = new Random(Seed);
        var configs = TestGraphs.Catalog.Descriptors.SelectMany(block => block.Examples.Select(e => (block.Name, e.Config.GetRawText()))).ToArray();
        for (var i = 0; i < Iterations; i++)
        {
            var (name, config) = configs[random.Next(configs.Length)];
            var mutated = Mutate(config, random, random.Next(1, 3));
            var json = $$"""{ "name": "g", "nodes": [{ "id": "n", "block": "{{name}}", "config": {{mutated}} }], "edges": [] }""";

            Assert.That(() => TestGraphs.Validator.Validate(json), Throws.Nothing, json);
        }
    }

    private static string Mutate(string text, Random random, int times)
    {
        var builder = new StringBuilder(text);
        for (var i = 0; i < times && builder.Length > 0; i++)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(5))
            {
                case 0:
                    builder.Remove(at, Math.Min(random.Next(1, 12), builder.Length - at));
                    break;
                case 1:
                    builder.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    builder[at] = (char)random.Next(32, 127);
                    break;
                case 3:
                    var length = Math.Min(random.Next(1, 40), builder.Length - at);
                    builder.Insert(random.Next(builder.Length), builder.ToString(at, length));
                    break;
                default:
                    builder.Replace("\"value\"", "\"" + Fragments[random.Next(Fragments.Length)].Trim('"') + "\"", at, builder.Length - at);
                    break;
            }
        }

        return builder.ToString();
    }
}
