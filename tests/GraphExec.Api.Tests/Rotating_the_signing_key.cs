using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace GraphExec.Api.Tests;

/// <summary>
/// Rotating the key that signs access tokens signs nobody out: tokens of the previous key are accepted while it is listed
/// in <c>Jwt:PreviousSigningKeys</c>, new tokens are signed with the new key and name it, and a removed key opens nothing.
/// </summary>
public sealed class Rotating_the_signing_key
{
    private const string NewKey = "a-new-signing-key-of-at-least-thirty-two-characters";

    [Test]
    public async Task Should_accept_the_previous_keys_tokens_until_it_is_removed_and_sign_new_ones_with_the_new_key()
    {
        using var before = await TestRun.Api.NewUserAsync();
        await using var rotated = new ApiApp(new Dictionary<string, string?>
        {
            ["Jwt:SigningKey"] = NewKey,
            ["Jwt:PreviousSigningKeys:0"] = ApiApp.SigningKey,
        });
        await using var retired = new ApiApp(new Dictionary<string, string?> { ["Jwt:SigningKey"] = NewKey });
        using var after = await rotated.NewUserAsync();

        Assert.That(await StatusAsync(rotated, before.DefaultRequestHeaders.Authorization!), Is.EqualTo(HttpStatusCode.OK), "an old token after the rotation");
        Assert.That(await StatusAsync(rotated, after.DefaultRequestHeaders.Authorization!), Is.EqualTo(HttpStatusCode.OK), "a new token");
        Assert.That(await StatusAsync(retired, before.DefaultRequestHeaders.Authorization!), Is.EqualTo(HttpStatusCode.Unauthorized), "an old token once its key is removed");
        Assert.That(await StatusAsync(TestRun.Api, after.DefaultRequestHeaders.Authorization!), Is.EqualTo(HttpStatusCode.Unauthorized), "a new token where the new key is unknown");
        var (oldKid, newKid) = (KeyIdOf(before), KeyIdOf(after));
        Assert.That(oldKid, Is.Not.Empty);
        Assert.That(newKid, Is.Not.Empty.And.Not.EqualTo(oldKid));
    }

    private static async Task<HttpStatusCode> StatusAsync(ApiApp api, AuthenticationHeaderValue token)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = token;
        using var response = await client.GetAsync("/api/graphs");
        return response.StatusCode;
    }

    private static string KeyIdOf(HttpClient client)
    {
        var header = client.DefaultRequestHeaders.Authorization!.Parameter!.Split('.')[0];
        return JsonDocument.Parse(Base64Url.DecodeFromChars(header)).RootElement.GetProperty("kid").GetString()!;
    }
}
