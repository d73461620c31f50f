using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GraphExec.Api.Tests;

public sealed class Describing_the_api
{
    [Test]
    public async Task Should_serve_an_openapi_document_of_every_endpoint_with_the_bearer_scheme()
    {
        using var client = TestRun.Api.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.That(document.GetProperty("paths").EnumerateObject().Select(path => path.Name), Is.SupersetOf(new[]
        {
            "/api/auth/register", "/api/auth/token", "/api/graphs", "/api/graphs/{id}", "/api/graphs/{id}/versions",
            "/api/graphs/{id}/executions", "/api/executions", "/api/executions/{id}", "/api/executions/{id}/nodes", "/api/executions/{id}/cancel",
            "/api/executions/{id}/rerun", "/api/executions/{id}/retry", "/api/blocks",
            "/api/auth/refresh", "/api/auth/sign-out", "/api/auth/sign-out-everywhere", "/api/tokens", "/api/tokens/{id}",
        }));
        Assert.That(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _), Is.True);
        Assert.That(document.GetProperty("paths").GetProperty("/api/graphs").GetProperty("post").GetProperty("description").GetString(),
            Does.Contain("`graphs:write`"), "the scope a personal access token needs");
        Assert.That(document.GetProperty("paths").GetProperty("/api/executions/{id}/retry").GetProperty("post").GetProperty("description").GetString(),
            Does.Contain("`executions:write`"), "the scope a retry needs");
    }

    [Test]
    public async Task Should_serve_the_scalar_reference()
    {
        using var client = TestRun.Api.CreateClient();

        using var response = await client.GetAsync("/scalar/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("openapi/v1.json"));
    }
}
