using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace GraphExec.Live.Features.Connections;

/// <summary>
/// Lets the official SignalR clients, with their default options, connect through a load balancer that spreads requests
/// over the replicas with no sticky sessions. A client first negotiates (one HTTP request), then opens its WebSocket (a
/// second request that may reach another replica). ASP.NET Core's negotiate keeps the new connection in the memory of the
/// replica that answered, so the WebSocket fails on any other one. Here the negotiate keeps nothing: it answers with
/// WebSockets as the only transport and a token no replica stores, and a WebSocket request that presents such a token is
/// served as a new connection, the way a client that skips negotiation is. Any replica can then take any WebSocket.
/// Server-Sent Events and long polling need every request of a connection on one replica, so the hub refuses them with a
/// problem that says why.
/// </summary>
public static class AnyReplicaNegotiation
{
    private const string WebSockets = nameof(HttpTransportType.WebSockets);
    private const string ConnectionTokenParameter = "id";

    private static readonly IResult OnlyWebSocketsProblem = TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "This hub accepts WebSockets only.",
        detail: "Server-Sent Events and long polling need every request of a connection to reach the same replica, and GraphExec "
            + "does not pin clients to replicas. Connect with the WebSockets transport (the official clients choose it by themselves).");

    /// <summary>Replaces the hub's negotiate with the stateless one and lets its WebSocket endpoint accept that negotiate's tokens.</summary>
    public static HubEndpointConventionBuilder WithAnyReplicaNegotiation(this HubEndpointConventionBuilder hub)
    {
        hub.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<NegotiateMetadata>().Any())
            {
                endpoint.RequestDelegate = NegotiateAsync;
                return;
            }

            var connect = endpoint.RequestDelegate ?? throw new InvalidOperationException("A hub endpoint has no request delegate.");
            endpoint.RequestDelegate = context =>
            {
                if (!IsWebSocketRequest(context))
                {
                    return OnlyWebSocketsProblem.ExecuteAsync(context);
                }

                ForgetConnectionToken(context.Request);
                return connect(context);
            };
        });
        return hub;
    }

    private static async Task NegotiateAsync(HttpContext context)
    {
        // Version 1 clients connect with the token, version 0 ones with the id; neither is looked up anywhere.
        var version = int.TryParse(context.Request.Query["negotiateVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
            ? Math.Min(asked, 1)
            : 0;
        var response = new NegotiationResponse
        {
            Version = version,
            ConnectionId = Guid.NewGuid().ToString("N"),
            ConnectionToken = version > 0 ? Guid.NewGuid().ToString("N") : null,
            AvailableTransports = [new AvailableTransport { Transport = WebSockets, TransferFormats = ["Text", "Binary"] }],
        };
        var body = new ArrayBufferWriter<byte>(256);
        NegotiateProtocol.WriteResponse(response, body);
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    /// <summary>
    /// An HTTP/1.1 upgrade or an HTTP/2 extended CONNECT to a WebSocket; the hub's own WebSocket middleware, which would say
    /// so, runs only after this.
    /// </summary>
    private static bool IsWebSocketRequest(HttpContext context) =>
        context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect
            ? string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase)
            : HttpMethods.IsGet(context.Request.Method)
                && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
                && string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>Drops the connection token from the query, so that the dispatcher makes the connection here and now.</summary>
    private static void ForgetConnectionToken(HttpRequest request)
    {
        if (!request.Query.ContainsKey(ConnectionTokenParameter))
        {
            return;
        }

        var rest = request.Query.Where(parameter => parameter.Key != ConnectionTokenParameter)
            .SelectMany(parameter => parameter.Value, (parameter, value) => KeyValuePair.Create(parameter.Key, (string?)value));
        request.QueryString = QueryString.Create(rest);
    }
}
