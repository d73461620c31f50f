using System.Net;
using System.Text.Json;
using GraphExec.Contracts;
using GraphExec.Web.Account;
using GraphExec.Web.Extensions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.ServiceDiscovery;

namespace GraphExec.Web.Live;

/// <summary>
/// Connects this server (not the browser) to the Live hub with the person's token, so that the token never reaches
/// the browser. The hub's address comes from service discovery; any replica serves any connection, so the client
/// skips negotiation and speaks WebSocket directly.
/// </summary>
public sealed partial class LiveFeedFactory(ServiceEndpointResolver resolver, Session session, ILogger<LiveFeedFactory> logger)
{
    /// <summary>
    /// Streams the events of <paramref name="executionId"/> after <paramref name="afterSequence"/> (0 replays all) to
    /// <paramref name="onEvent"/>; null when the hub cannot be reached, so that the page falls back to polling.
    /// </summary>
    public async Task<HubConnection?> SubscribeAsync(
        Guid executionId, long afterSequence, Func<ExecutionEvent, Task> onEvent, CancellationToken cancellationToken)
    {
        HubConnection? connection = null;
        try
        {
            var endpoints = await resolver.GetEndpointsAsync($"http://{WebServiceExtensions.LiveService}", cancellationToken);
            if (endpoints.Endpoints.Count == 0)
            {
                return null;
            }

            var hub = new Uri(BaseUri(endpoints.Endpoints[Random.Shared.Next(endpoints.Endpoints.Count)].EndPoint), ExecutionsHubContract.Path);
            var token = await session.AccessTokenAsync();
            connection = new HubConnectionBuilder()
                .WithUrl(hub, options =>
                {
                    options.Transports = HttpTransportType.WebSockets;
                    options.SkipNegotiation = true;
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                // The hub writes camelCase JSON; read it with the web defaults the rest of the UI uses.
                .AddJsonProtocol(options => options.PayloadSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web))
                .Build();
            connection.On(ExecutionsHubContract.ExecutionEvent, onEvent);
            await connection.StartAsync(cancellationToken);
            await connection.InvokeAsync(ExecutionsHubContract.Subscribe, executionId, afterSequence, cancellationToken);
            return connection;
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not SessionExpiredException)
        {
            LogHubUnavailable(logger, exception);
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            return null;
        }
    }

    private static Uri BaseUri(EndPoint endpoint) => endpoint switch
    {
        UriEndPoint uri => uri.Uri,
        DnsEndPoint dns => new Uri($"http://{dns.Host}:{dns.Port}"),
        IPEndPoint ip => new Uri($"http://{ip}"),
        _ => new Uri($"http://{endpoint}"),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "The live hub is not available; the page polls the Api instead.")]
    private static partial void LogHubUnavailable(ILogger logger, Exception exception);
}
