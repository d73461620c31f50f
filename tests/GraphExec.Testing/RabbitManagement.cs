using System.Net.Http.Headers;
using System.Text;

namespace GraphExec.Testing;

public static class RabbitManagement
{
    /// <summary>A client of RabbitMQ's management API, from its address with the credentials in the user-info part.</summary>
    public static HttpClient CreateClient(Uri management)
    {
        var client = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "", Path = "/" }.Uri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        return client;
    }
}
