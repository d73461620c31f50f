using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Testing;

namespace GraphExec.Cli.Tests.Integration;

/// <summary>
/// A watch through Live with a personal access token's ticket ends as soon as the token is revoked: Live closes the
/// connection, and the new ticket the command line asks for is refused.
/// </summary>
public sealed class Watching_with_a_revoked_token
{
    private const string Slow = """
        {
          "name": "Slow",
          "nodes": [
            { "id": "who",  "block": "input",  "config": { "name": "who" } },
            { "id": "wait", "block": "delay",  "config": { "milliseconds": 120000 } },
            { "id": "out",  "block": "output", "config": { "name": "who" } }
          ],
          "edges": [ { "from": "who.value", "to": "wait.value" }, { "from": "wait.value", "to": "out.value" } ]
        }
        """;

    [Test]
    public async Task Should_stop_with_exit_code_3_once_the_token_is_revoked()
    {
        using var user = await CliUser.SignUpAsync();
        await user.Session.SaveGraphAsync(Slow);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var @out = TextWriter.Synchronized(output);
        var environment = user.Environment;
        var watching = CliApp.RunAsync(
            ["run", "Slow", "-i", "who=Ada", "--watch"], new CliConsole(@out, TextWriter.Synchronized(error)),
            new CliEnvironment(name => environment.GetValueOrDefault(name)));
        string Printed()
        {
            lock (@out)
            {
                return output.ToString();
            }
        }

        await Poll.UntilAsync(() => Printed().Contains("ExecutionStarted", StringComparison.Ordinal), "the watch to receive its first event from Live");
        var executionId = Guid.Parse(Printed().Split('\n')[0]["Execution ".Length..].Trim());

        var tokens = await user.Session.GetFromJsonAsync<JsonElement>("/api/tokens");
        var tokenId = tokens.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
        (await user.Session.DeleteAsync($"/api/tokens/{tokenId}")).EnsureSuccessStatusCode();
        var exitCode = await watching.WaitAsync(TimeSpan.FromSeconds(60));
        (await user.Session.PostAsync($"/api/executions/{executionId}/cancel", null)).EnsureSuccessStatusCode();

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Unauthorized), $"{output}{error}");
        Assert.That(error.ToString(), Does.Contain("did not accept the token").And.Not.Contain("note:"));
    }
}
