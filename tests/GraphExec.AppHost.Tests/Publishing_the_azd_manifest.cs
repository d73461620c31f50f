using System.Diagnostics;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.AppHost.Tests;

/// <summary>
/// The AppHost's manifest, produced the way azd produces it. azd now deploys the Bicep of <c>infra/</c> (see the
/// Deployment tests); the manifest stays a complete description of the app model.
/// </summary>
public sealed class Publishing_the_azd_manifest
{
    private JsonElement _resources;

    [OneTimeSetUp]
    public async Task PublishAsync()
    {
        var root = RepositoryRoot.Find();
        var output = Path.Combine(Path.GetTempPath(), $"graphexec-manifest-{Guid.NewGuid():N}", "aspire-manifest.json");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "run", "--no-build", "--project", Path.Combine(root, "GraphExec.AppHost"), "--",
                "--publisher", "manifest", "--output-path", output,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var log = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, $"{await log}\n{await errors}");

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        _resources = manifest.RootElement.GetProperty("resources").Clone();
        Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
    }

    [TestCase("api")]
    [TestCase("webhooks")]
    [TestCase("scheduler")]
    [TestCase("worker")]
    [TestCase("live")]
    [TestCase("web")]
    public void Should_list_the_service_as_a_project(string service) =>
        Assert.That(TypeOf(service), Does.StartWith("project."));

    [TestCase("postgres")]
    [TestCase("rabbitmq")]
    [TestCase("redis")]
    [TestCase("azurite")]
    public void Should_list_the_server_as_a_container(string server) =>
        Assert.That(TypeOf(server), Does.StartWith("container."));

    [Test]
    public void Should_hand_out_blob_storage_as_a_connection_string_to_Azurite()
    {
        var blobs = _resources.GetProperty("blobs");
        Assert.That(blobs.GetProperty("connectionString").GetString(), Does.Contain("{azurite.bindings.blob.url}/").And.Contains("{azurite-account-key.value}"));
    }

    [TestCase("api")]
    [TestCase("webhooks")]
    [TestCase("scheduler")]
    [TestCase("worker")]
    public void Should_give_the_service_blob_storage(string service)
    {
        var environment = _resources.GetProperty(service).GetProperty("env");
        Assert.That(environment.GetProperty("ConnectionStrings__blobs").GetString(), Is.EqualTo("{blobs.connectionString}"));
    }

    [TestCase("postgres-password")]
    [TestCase("rabbitmq-password")]
    [TestCase("redis-password")]
    [TestCase("azurite-account-key")]
    [TestCase("jwt-signing-key")]
    public void Should_keep_the_secret_a_parameter(string parameter)
    {
        Assert.That(TypeOf(parameter), Does.StartWith("parameter."));
        var value = _resources.GetProperty(parameter).GetProperty("inputs").GetProperty("value");
        Assert.That(value.GetProperty("secret").GetBoolean(), Is.True);
    }

    private string TypeOf(string resource) =>
        _resources.TryGetProperty(resource, out var element) ? element.GetProperty("type").GetString()! : "(missing)";
}
