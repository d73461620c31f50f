using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Api.Features.Auth;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>A user's sign-ins: each one a session of its own, with its tokens.</summary>
public static class Sessions
{
    /// <summary>Registers a new user of its own.</summary>
    public static async Task<Credentials> SignUpAsync(ApiApp api)
    {
        using var client = api.CreateClient();
        var credentials = new Credentials($"s_{Guid.NewGuid():N}"[..30], ApiUsers.Password);
        (await client.PostAsJsonAsync("/api/auth/register", credentials)).EnsureSuccessStatusCode();
        return credentials;
    }

    /// <summary>Signs in, which starts a new session.</summary>
    public static async Task<TokenResponse> SignInAsync(ApiApp api, Credentials credentials)
    {
        using var client = api.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/token", credentials);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    /// <summary>A client of <paramref name="api"/> that sends <paramref name="bearer"/>.</summary>
    public static HttpClient ClientWith(ApiApp api, string bearer)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public static async Task<HttpResponseMessage> RefreshAsync(ApiApp api, string refreshToken)
    {
        using var client = api.CreateClient();
        return await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
    }

    /// <summary>The status of an ordinary request (the caller's graphs) with <paramref name="bearer"/>.</summary>
    public static async Task<int> ListGraphsStatusAsync(ApiApp api, string bearer)
    {
        using var client = ClientWith(api, bearer);
        using var response = await client.GetAsync("/api/graphs");
        return (int)response.StatusCode;
    }

    /// <summary>A claim of a JWT's payload.</summary>
    public static string? ClaimOf(string accessToken, string claim) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(accessToken.Split('.')[1])).RootElement.TryGetProperty(claim, out var value)
            ? value.GetString()
            : null;
}
