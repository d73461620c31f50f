using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using GraphExec.Testing;
using GraphExec.Api.Features.Auth;
using GraphExec.Core.Data;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using GraphExec.ServiceDefaults;
using StackExchange.Redis;

namespace GraphExec.Api.Tests;

public sealed class Signing_up_and_in
{
    private HttpClient _client = null!;

    [SetUp]
    public void CreateClient() => _client = TestRun.Api.CreateClient();

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Should_register_then_issue_a_token_that_opens_the_api()
    {
        var credentials = NewCredentials();

        using var registered = await _client.PostAsJsonAsync("/api/auth/register", credentials);
        using var issued = await _client.PostAsJsonAsync("/api/auth/token", credentials);
        var token = await issued.Content.ReadFromJsonAsync<TokenResponse>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/graphs") { Headers = { { "Authorization", $"Bearer {token!.AccessToken}" } } };
        using var graphs = await _client.SendAsync(request);

        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(issued.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(token.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow));
        Assert.That(graphs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Should_store_passwords_with_pbkdf2_sha512_at_owasps_work_factor_and_upgrade_older_hashes_at_sign_in()
    {
        var credentials = NewCredentials();
        using var registered = await _client.PostAsJsonAsync("/api/auth/register", credentials);
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var stored = await StoredHashAsync(id);

        // As ASP.NET Core hashed passwords before (100,000 iterations).
        await WithUserAsync(id, user => user.PasswordHash = new PasswordHasher<User>().HashPassword(user, credentials.Password!));
        var older = await StoredHashAsync(id);
        using var signedIn = await _client.PostAsJsonAsync("/api/auth/token", credentials);
        var upgraded = await StoredHashAsync(id);

        Assert.That(HashFormat(stored), Is.EqualTo((Prf: KeyDerivationPrf.HMACSHA512, Iterations: AccountRules.PasswordHashIterations)));
        Assert.That(HashFormat(older).Iterations, Is.EqualTo(100_000));
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(HashFormat(upgraded).Iterations, Is.EqualTo(AccountRules.PasswordHashIterations));
    }

    [Test]
    public async Task Should_refuse_a_taken_user_name_whatever_its_case()
    {
        var credentials = NewCredentials();
        (await _client.PostAsJsonAsync("/api/auth/register", credentials)).EnsureSuccessStatusCode();

        using var again = await _client.PostAsJsonAsync("/api/auth/register", credentials with { Username = credentials.Username!.ToUpperInvariant() });

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await ErrorFieldsAsync(again), Is.EquivalentTo(new[] { "username" }));
    }

    [TestCase("short1")]
    [TestCase("1234567890")]
    [TestCase("aaaaaaaaaaaa")]
    public async Task Should_refuse_a_weak_password(string password)
    {
        using var response = await _client.PostAsJsonAsync("/api/auth/register", NewCredentials() with { Password = password });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "password" }));
    }

    // Real entries of the shipped list, typed in mixed case.
    [TestCase("ManChester")]
    [TestCase("QAZWSXEDCRFV")]
    [TestCase("Q1w2E3r4T5")]
    [TestCase("iLoveYou123")]
    [TestCase("1qaz2WSX3edc")]
    public async Task Should_refuse_a_password_from_the_breached_and_common_list_whatever_its_case(string password)
    {
        using var response = await _client.PostAsJsonAsync("/api/auth/register", NewCredentials() with { Password = password });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ErrorsAsync(response), Is.EqualTo(new Dictionary<string, string[]> { ["password"] = [AccountRules.CommonPasswordMessage] }));
    }

    [Test]
    public async Task Should_accept_a_strong_random_password()
    {
        var password = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%+-.:=?@_", 24);

        using var response = await _client.PostAsJsonAsync("/api/auth/register", NewCredentials() with { Password = password });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public void Should_check_passwords_against_a_list_of_a_hundred_thousand_a_person_could_submit()
    {
        var outOfBounds = CommonPasswords.All.Where(p => p.Length is < AccountRules.MinPasswordLength or > AccountRules.MaxPasswordLength);
        var notLowerCase = CommonPasswords.All.Where(p => p != p.ToLowerInvariant());

        Assert.That(CommonPasswords.Count, Is.GreaterThan(100_000));
        Assert.That(outOfBounds, Is.Empty, "an entry the length rules refuse anyway only costs memory");
        Assert.That(notLowerCase, Is.Empty, "one entry a password, whatever its case");
        Assert.That(AccountRules.CheckPassword("PassWord123", "someone"), Is.EqualTo(AccountRules.CommonPasswordMessage));
        Assert.That(AccountRules.CheckPassword("plum kettle harbour 42", "someone"), Is.Null);
    }

    [Test]
    public async Task Should_name_every_field_at_fault()
    {
        using var response = await _client.PostAsJsonAsync("/api/auth/register", new Credentials("no spaces allowed", ""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "username", "password" }));
    }

    [Test]
    public async Task Should_refuse_a_wrong_password_and_an_unknown_user_alike()
    {
        var credentials = NewCredentials();
        (await _client.PostAsJsonAsync("/api/auth/register", credentials)).EnsureSuccessStatusCode();

        using var wrongPassword = await _client.PostAsJsonAsync("/api/auth/token", credentials with { Password = "not the password at all" });
        using var unknownUser = await _client.PostAsJsonAsync("/api/auth/token", NewCredentials());

        Assert.That(wrongPassword.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(unknownUser.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await TitleAsync(wrongPassword), Is.EqualTo(await TitleAsync(unknownUser)));
    }

    [Test]
    public async Task Should_answer_a_problem_for_unreadable_json()
    {
        using var response = await _client.PostAsync("/api/auth/register", Graphs.Json("{ \"username\": "));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    private static async Task<string?> TitleAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString();

    [Test]
    public async Task Should_make_a_user_name_wait_after_repeated_failures_from_anywhere_and_clear_it_on_success()
    {
        var credentials = NewCredentials();
        (await _client.PostAsJsonAsync("/api/auth/register", credentials)).EnsureSuccessStatusCode();
        var wrong = credentials with { Password = "not the passphrase at all" };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var failed = await _client.PostAsJsonAsync("/api/auth/token", wrong);
            statuses.Add(failed.StatusCode);
        }

        using var waiting = await _client.PostAsJsonAsync("/api/auth/token", credentials);
        using var another = await _client.PostAsJsonAsync("/api/auth/token", NewCredentials());

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Unauthorized), "five free failures, and the sixth still answered");
        Assert.That(waiting.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "even the right password waits");
        Assert.That(waiting.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(another.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "other names are not held up");

        // Once the wait is over the right password gets in, and clears the count.
        var signedIn = await Poll.UntilAsync(
            async () =>
            {
                using var attempt = await _client.PostAsJsonAsync("/api/auth/token", credentials);
                return attempt.StatusCode;
            },
            status => status != HttpStatusCode.TooManyRequests,
            "the wait to end");
        using var wrongAgain = await _client.PostAsJsonAsync("/api/auth/token", wrong);
        Assert.That(signedIn, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(wrongAgain.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Should_keep_the_failure_count_and_the_wait_in_redis_only_for_a_bounded_time()
    {
        var name = $"U_{Guid.NewGuid():N}";
        var backoff = TestRun.Api.Services.GetRequiredService<SignInBackoff>();
        for (var i = 0; i <= SignInBackoff.FreeFailures; i++)
        {
            await backoff.FailedAsync(name);
        }

        var prefix = TestRun.Api.Services.GetRequiredService<IConfiguration>()[CacheSettings.KeyPrefix] + "signin:";
        var redis = TestRun.Api.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var failures = await redis.KeyTimeToLiveAsync(prefix + "failures:" + name);
        var wait = await redis.KeyTimeToLiveAsync(prefix + "wait:" + name);

        Assert.That(failures, Is.Not.Null.And.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromHours(1)), "the count expires");
        Assert.That(wait, Is.Not.Null.And.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(SignInBackoff.MaxWait), "the wait expires");
    }

    private static Credentials NewCredentials() => new($"u_{Guid.NewGuid():N}"[..30], "a long and unusual passphrase");

    internal static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. problem.RootElement.GetProperty("errors").EnumerateObject().Select(field => field.Name)];
    }

    private static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(field => field.Name, field => field.Value.EnumerateArray().Select(message => message.GetString()!).ToArray());
    }

    /// <summary>ASP.NET Core's version 3 format: a marker byte, then the PRF and the iteration count, big-endian.</summary>
    private static (KeyDerivationPrf Prf, int Iterations) HashFormat(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.That(bytes[0], Is.EqualTo(0x01), "version 3 of the format");
        return ((KeyDerivationPrf)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
    }

    private static async Task<string> StoredHashAsync(Guid id)
    {
        string hash = "";
        await WithUserAsync(id, user => hash = user.PasswordHash);
        return hash;
    }

    private static async Task WithUserAsync(Guid id, Action<User> use)
    {
        await using var scope = TestRun.Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        var user = await db.Users.SingleAsync(u => u.Id == id);
        use(user);
        await db.SaveChangesAsync();
    }
}
