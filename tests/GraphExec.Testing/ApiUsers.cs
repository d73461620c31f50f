using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace GraphExec.Testing;

/// <summary>Signs up users through the Api, so that tests never share data.</summary>
public static class ApiUsers
{
    public const string Password = "correct horse battery staple";

    private static int s_users;

    /// <summary>
    /// Registers a new user of its own through <paramref name="client"/>, signs in, and makes the client send the token.
    /// </summary>
    /// <returns>The access token.</returns>
    public static async Task<string> SignUpAsync(HttpClient client)
    {
        var credentials = new { username = $"u{Interlocked.Increment(ref s_users)}_{Guid.NewGuid():N}", password = Password };
        (await client.PostAsJsonAsync("/api/auth/register", credentials)).EnsureSuccessStatusCode();
        using var response = await client.PostAsJsonAsync("/api/auth/token", credentials);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }

    /// <summary>The token's <c>sub</c>: the owner id of everything its user makes.</summary>
    public static Guid OwnerId(string token) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement.GetProperty("sub").GetGuid();
}
