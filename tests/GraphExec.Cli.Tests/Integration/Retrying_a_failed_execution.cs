using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Testing;

namespace GraphExec.Cli.Tests.Integration;

/// <summary>
/// <c>graphexec executions retry</c>: a run that failed because a credential was deleted under it succeeds when retried
/// after the credential is back, from the node that failed.
/// </summary>
public sealed class Retrying_a_failed_execution : CliScenario
{
    /// <summary>The delay leaves time to delete the credential after the run was accepted and before the node reads it.</summary>
    private const string Signed = """
        {
          "name": "Signed",
          "nodes": [
            { "id": "who",   "block": "input",    "config": { "name": "who", "default": "world" } },
            { "id": "pause", "block": "delay",    "config": { "milliseconds": 3000 } },
            { "id": "sign",  "block": "template", "config": { "template": "{{text}} signed with {{secrets.signing}}" } },
            { "id": "out",   "block": "output",   "config": { "name": "signed" } }
          ],
          "edges": [
            { "from": "who.value",   "to": "pause.value" },
            { "from": "pause.value", "to": "sign.text" },
            { "from": "sign.text",   "to": "out.value" }
          ]
        }
        """;

    private const string CredentialValue = "a-signing-key-of-some-length";

    [Test]
    public async Task Should_succeed_from_the_failed_node_once_the_deleted_credential_is_back()
    {
        await CreateCredentialAsync();
        var push = await User.RunAsync("push", Folder.Write("signed.json", Signed));
        Assert.That(push.ExitCode, Is.EqualTo(ExitCodes.Ok), push.ToString());
        var run = await User.RunAsync("run", "Signed", "--json");
        var failedId = JsonDocument.Parse(run.Out).RootElement.GetProperty("executionId").GetGuid();
        using (var deleted = await User.Session.DeleteAsync("/api/credentials/signing"))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        var failed = await User.Session.WaitForExecutionEndAsync(failedId);
        Assert.That(failed.GetProperty("status").GetString(), Is.EqualTo("Failed"), failed.ToString());
        await CreateCredentialAsync();

        var retry = await User.RunAsync("executions", "retry", failedId.ToString(), "--watch");

        Assert.That(retry.ExitCode, Is.EqualTo(ExitCodes.Ok), retry + TestRun.Output);
        Assert.That(retry.Out, Does.Match(@"NodeCompleted\s+sign\b"));
        Assert.That(retry.Out, Does.Contain("signed = \"world signed with ***\""), "the secret's value is masked");
        Assert.That(retry.Out + retry.Error, Does.Not.Contain(CredentialValue));
    }

    [Test]
    public async Task Should_answer_not_found_for_an_execution_nobody_has()
    {
        var retry = await User.RunAsync("executions", "retry", Guid.NewGuid().ToString());

        Assert.That(retry.ExitCode, Is.EqualTo(ExitCodes.NotFound), retry.ToString());
    }

    private async Task CreateCredentialAsync()
    {
        using var created = await User.Session.PostAsJsonAsync("/api/credentials", new { name = "signing", value = CredentialValue });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
    }
}
