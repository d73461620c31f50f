using System.Net.Sockets;

namespace GraphExec.Testing;

/// <summary>Whether a Docker engine answers (the <c>docker</c> CLI alone is not enough).</summary>
internal static class DockerEngine
{
    private const string DefaultSocket = "/var/run/docker.sock";

    public static async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        using var handler = new SocketsHttpHandler();
        Uri pingUri;

        if (dockerHost is { Length: > 0 } && dockerHost.StartsWith("tcp://", StringComparison.Ordinal))
        {
            pingUri = new Uri(new Uri(dockerHost.Replace("tcp://", "http://", StringComparison.Ordinal)), "/_ping");
        }
        else
        {
            var socketPath = dockerHost is { Length: > 0 } && dockerHost.StartsWith("unix://", StringComparison.Ordinal)
                ? dockerHost["unix://".Length..]
                : DefaultSocket;
            if (!File.Exists(socketPath))
            {
                return false;
            }

            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                return new NetworkStream(socket, ownsSocket: true);
            };
            pingUri = new Uri("http://docker/_ping");
        }

        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(pingUri, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or SocketException or TaskCanceledException)
        {
            return false;
        }
    }
}
