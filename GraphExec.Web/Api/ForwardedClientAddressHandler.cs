namespace GraphExec.Web.Api;

/// <summary>
/// Tells the Api whose request it is serving: sign-up and sign-in, which are limited per client address, would otherwise
/// count every person using the Web under the Web's own address, so that a few bad attempts by anyone would lock everyone
/// out. The Api believes the header only from proxies it trusts (see <c>ForwardedClientAddress</c>). Calls made outside a
/// browser's request (the interactive circuit) carry no address; they are the signed-in user's and limited per user.
/// </summary>
public sealed class ForwardedClientAddressHandler(IHttpContextAccessor http) : DelegatingHandler
{
    private const string ForwardedFor = "X-Forwarded-For";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (http.HttpContext?.Connection.RemoteIpAddress is { } address)
        {
            request.Headers.Remove(ForwardedFor);
            request.Headers.TryAddWithoutValidation(ForwardedFor, address.ToString());
        }

        return base.SendAsync(request, cancellationToken);
    }
}
