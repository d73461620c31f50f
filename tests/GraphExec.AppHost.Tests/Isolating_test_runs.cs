using System.Net;
using System.Text;
using Azure.Storage.Blobs;
using GraphExec.Testing;
using Npgsql;
using StackExchange.Redis;

namespace GraphExec.AppHost.Tests;

/// <summary>Two runs on the same servers: neither sees the other's tables, queues, keys or blobs, and nothing is left after.</summary>
public sealed class Isolating_test_runs
{
    private IsolatedServers _first = null!;
    private IsolatedServers _second = null!;

    [SetUp]
    public async Task IsolateTwiceAsync()
    {
        _first = await RealServersSetUp.Servers.IsolateAsync("first");
        _second = await RealServersSetUp.Servers.IsolateAsync("second");
    }

    [TearDown]
    public async Task DropAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Test]
    public async Task Should_give_each_run_its_own_database()
    {
        await ExecuteAsync(_first.Connections.Database, "CREATE TABLE marker (id int)");

        Assert.That(await TableExistsAsync(_first.Connections.Database, "marker"), Is.True);
        Assert.That(await TableExistsAsync(_second.Connections.Database, "marker"), Is.False);
    }

    [Test]
    public async Task Should_give_each_run_its_own_virtual_host()
    {
        using var management = RabbitManagement.CreateClient(_first.Connections.BrokerManagement);
        var queue = $"api/queues/{Uri.EscapeDataString(_first.Name)}/marker";
        using (var declared = await management.PutAsync(queue, new StringContent("""{"durable":false}""", Encoding.UTF8, "application/json")))
        {
            declared.EnsureSuccessStatusCode();
        }

        using var inFirst = await management.GetAsync(queue);
        using var inSecond = await management.GetAsync($"api/queues/{Uri.EscapeDataString(_second.Name)}/marker");
        Assert.That(inFirst.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(inSecond.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void Should_give_each_run_its_own_key_prefix() =>
        Assert.That(_first.CacheKeyPrefix, Is.Not.EqualTo(_second.CacheKeyPrefix).And.Not.Empty);

    [Test]
    public async Task Should_give_each_run_its_own_blob_container()
    {
        await _first.BlobContainer().UploadBlobAsync("marker", BinaryData.FromString("1"));

        Assert.That(_first.BlobContainerName, Is.Not.EqualTo(_second.BlobContainerName));
        Assert.That((await _first.BlobContainer().GetBlobClient("marker").ExistsAsync()).Value, Is.True);
        Assert.That((await _second.BlobContainer().GetBlobClient("marker").ExistsAsync()).Value, Is.False);
    }

    [TestCase("first")]
    [TestCase("A Label_with..odd--characters and more than sixty-three of them altogether!")]
    public async Task Should_name_the_blob_container_as_storage_requires(string label)
    {
        var isolated = await RealServersSetUp.Servers.IsolateAsync(label);
        try
        {
            Assert.That(isolated.BlobContainerName, Does.Match("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$"));
            Assert.That((await isolated.BlobContainer().ExistsAsync()).Value, Is.True);
        }
        finally
        {
            await isolated.DisposeAsync();
        }
    }

    [Test]
    public async Task Should_leave_nothing_behind()
    {
        var throwaway = await RealServersSetUp.Servers.IsolateAsync("throwaway");
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(throwaway.Connections.Cache))
        {
            await redis.GetDatabase().StringSetAsync(throwaway.CacheKeyPrefix + "marker", "1");
        }

        await throwaway.BlobContainer().UploadBlobAsync("marker", BinaryData.FromString("1"));

        await throwaway.DisposeAsync();

        var server = new NpgsqlConnectionStringBuilder(throwaway.Connections.Database) { Database = "postgres" }.ConnectionString;
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", throwaway.DatabaseName);
        Assert.That(await command.ExecuteScalarAsync(), Is.Zero);

        using var management = RabbitManagement.CreateClient(throwaway.Connections.BrokerManagement);
        using var vhost = await management.GetAsync($"api/vhosts/{Uri.EscapeDataString(throwaway.Name)}");
        Assert.That(vhost.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        await using var cache = await ConnectionMultiplexer.ConnectAsync(throwaway.Connections.Cache);
        Assert.That(await cache.GetDatabase().KeyExistsAsync(throwaway.CacheKeyPrefix + "marker"), Is.False);

        var containers = new BlobServiceClient(throwaway.Connections.Blobs).GetBlobContainersAsync(prefix: throwaway.BlobContainerName);
        Assert.That(await containers.Select(c => c.Name).ToListAsync(), Is.Empty);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<bool> TableExistsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
