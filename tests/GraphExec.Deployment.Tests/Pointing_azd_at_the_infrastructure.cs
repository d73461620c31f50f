using GraphExec.Testing;

namespace GraphExec.Deployment.Tests;

/// <summary><c>azure.yaml</c>: azd provisions the Bicep of <c>infra/</c> and deploys each service to its container app.</summary>
public sealed class Pointing_azd_at_the_infrastructure
{
    private string _azureYaml = "";

    [OneTimeSetUp]
    public async Task ReadAsync() =>
        _azureYaml = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "azure.yaml"));

    [Test]
    public void Should_provision_the_Bicep_of_infra()
    {
        Assert.That(_azureYaml, Does.Contain("provider: bicep"));
        Assert.That(_azureYaml, Does.Contain("path: infra"));
        Assert.That(_azureYaml, Does.Not.Contain("GraphExec.AppHost"));
    }

    [TestCase("api", "Api")]
    [TestCase("webhooks", "Webhooks")]
    [TestCase("scheduler", "Scheduler")]
    [TestCase("worker", "Worker")]
    [TestCase("live", "Live")]
    [TestCase("web", "Web")]
    public void Should_deploy_the_service_as_a_container_app(string service, string project)
    {
        var block = ServiceBlock(service);

        Assert.That(block, Does.Contain($"project: ./GraphExec.{project}\n"));
        Assert.That(block, Does.Contain("language: dotnet"));
        Assert.That(block, Does.Contain("host: containerapp"));
        Assert.That(Directory.Exists(Path.Combine(RepositoryRoot.Find(), $"GraphExec.{project}")), Is.True);
    }

    /// <summary>The lines of the service's entry under <c>services:</c>, up to the next entry.</summary>
    private string ServiceBlock(string service)
    {
        var lines = _azureYaml.ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, $"  {service}:");
        Assert.That(start, Is.GreaterThan(0), $"azure.yaml has no service {service}");
        var body = lines.Skip(start + 1).TakeWhile(line => line.StartsWith("    ", StringComparison.Ordinal));
        return string.Join('\n', body) + "\n";
    }
}
