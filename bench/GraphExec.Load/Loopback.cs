using System.Net;

namespace GraphExec.Load;

/// <summary>The harness sends traffic to this machine only: an address literal on loopback, or <c>localhost</c>.</summary>
public static class Loopback
{
    public static Uri Require(Uri uri) =>
        uri.IsLoopback && (uri.IsDefaultPort || uri.Port > 0)
        && (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) ? IPAddress.IsLoopback(address) : uri.Host == "localhost")
            ? uri
            : throw new ArgumentException($"{uri} is not a loopback address; the load harness only targets this machine.");
}
