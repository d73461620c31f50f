using System.Security.Cryptography;
using Azure.Storage.Blobs;
using GraphExec.Hosting.Blobs;
using GraphExec.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace GraphExec.Api.Tests;

/// <summary>
/// <see cref="BlobStorageExtensions.AddGraphExecBlobs"/> against the real blob storage of the test servers: the client it
/// registers reaches the configured container, which it creates when missing.
/// </summary>
public sealed class Keeping_blobs
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Should_put_read_and_delete_a_blob_in_the_configured_container()
    {
        using var host = await StartHostAsync(RealServersSetUp.Isolated.BlobContainerName);
        var container = host.Services.GetRequiredService<BlobContainerClient>();
        var value = BinaryData.FromBytes(RandomNumberGenerator.GetBytes(100 * 1024));
        var blob = container.GetBlobClient($"values/{Guid.NewGuid()}");

        await blob.UploadAsync(value);
        var read = await blob.DownloadContentAsync();
        var deleted = await blob.DeleteIfExistsAsync();

        Assert.That(container.Name, Is.EqualTo(RealServersSetUp.Isolated.BlobContainerName));
        Assert.That(read.Value.Content.ToArray(), Is.EqualTo(value.ToArray()));
        Assert.That(deleted.Value, Is.True);
        Assert.That((await blob.ExistsAsync()).Value, Is.False);
    }

    [Test]
    public async Task Should_create_a_missing_container_at_start_and_report_healthy()
    {
        var name = $"hosting-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var missing = new BlobServiceClient(RealServersSetUp.Isolated.Connections.Blobs).GetBlobContainerClient(name);
        Assume.That((await missing.ExistsAsync()).Value, Is.False);

        try
        {
            using var host = await StartHostAsync(name);
            await host.Services.GetRequiredService<BlobContainerStatus>().Created.WaitAsync(Deadline);
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(
                registration => registration.Name == BlobStorageExtensions.HealthCheck);

            Assert.That((await missing.ExistsAsync()).Value, Is.True);
            Assert.That(health.Status, Is.EqualTo(HealthStatus.Healthy), health.Entries.FirstOrDefault().Value.Description);
        }
        finally
        {
            await missing.DeleteIfExistsAsync();
        }
    }

    [Test]
    public void Should_refuse_a_container_name_that_storage_would_refuse()
    {
        var startup = async () =>
        {
            using var host = await StartHostAsync("Not_A_Container");
        };

        Assert.That(startup, Throws.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>()
            .With.Message.Contains("Blobs:Container"));
    }

    private static async Task<IHost> StartHostAsync(string containerName)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:blobs"] = RealServersSetUp.Isolated.Connections.Blobs,
            ["Blobs:Container"] = containerName,
        });
        builder.AddGraphExecBlobs();
        builder.Services.AddHealthChecks();

        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
