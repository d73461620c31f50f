using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace GraphExec.Engine.Blocks.Http;

/// <summary>
/// Keeps user-written HTTP requests away from the host's own network: private, loopback, link-local,
/// carrier-grade NAT, multicast, reserved and cloud metadata addresses are refused unless allow-listed, and so are the
/// IPv6 ranges that carry an IPv4 address inside them (IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo), which a
/// host's tunnel or translator could route to the IPv4 private space. A refusal does not say which address DNS gave.
/// The check runs in the connect callback, on the addresses DNS actually returned and again on the
/// address the socket is connected to, so neither DNS rebinding nor a redirect can route around it.
/// </summary>
public sealed class SsrfGuard
{
    private readonly List<string> _hosts = [];
    private readonly List<string> _hostSuffixes = [];
    private readonly List<IPNetwork> _networks = [];

    /// <param name="allowList">Host names, <c>*.suffix</c> wildcards, addresses and CIDR networks.</param>
    /// <exception cref="ArgumentException">An entry is none of these.</exception>
    public SsrfGuard(IEnumerable<string> allowList)
    {
        foreach (var entry in allowList.Select(entry => entry.Trim()))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                _networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                _networks.Add(new IPNetwork(Normalize(address), address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else if (entry.StartsWith("*.", StringComparison.Ordinal) && Uri.CheckHostName(entry[2..]) == UriHostNameType.Dns)
            {
                _hostSuffixes.Add(entry[1..]);
            }
            else if (Uri.CheckHostName(entry) == UriHostNameType.Dns)
            {
                _hosts.Add(entry);
            }
            else
            {
                throw new ArgumentException($"'{entry}' is not a host name, address or network.", nameof(allowList));
            }
        }
    }

    /// <summary>True for addresses on the public internet.</summary>
    public static bool IsPublic(IPAddress address)
    {
        address = Normalize(address);
        Span<byte> bytes = stackalloc byte[16];
        _ = address.TryWriteBytes(bytes, out var length);
        if (length == 4)
        {
            return bytes[0] switch
            {
                0 or 10 or 127 => false,                             // "this" network, private, loopback
                100 when bytes[1] is >= 64 and <= 127 => false,      // carrier-grade NAT (Alibaba metadata 100.100.100.200)
                169 when bytes[1] == 254 => false,                   // link-local, cloud metadata 169.254.169.254
                172 when bytes[1] is >= 16 and <= 31 => false,       // private
                192 when bytes[1] == 168 => false,                   // private
                192 when bytes[1] == 0 && bytes[2] is 0 or 2 => false, // IETF protocol assignments, documentation
                198 when bytes[1] is 18 or 19 => false,              // benchmarking
                198 when bytes[1] == 51 && bytes[2] == 100 => false, // documentation
                203 when bytes[1] == 0 && bytes[2] == 113 => false,  // documentation
                >= 224 => false,                                     // multicast, reserved, broadcast
                _ => true,
            };
        }

        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
        {
            return false;
        }

        return (bytes[0] & 0xFE) != 0xFC                              // unique local fc00::/7 (AWS metadata fd00:ec2::254)
            && !StartsWith(bytes, [0x20, 0x01, 0x0D, 0xB8])            // documentation 2001:db8::/32
            && !StartsWith(bytes, [0x00, 0x64, 0xFF, 0x9B])            // NAT64 64:ff9b::/32 and 64:ff9b:1::/48
            && !StartsWith(bytes, [0x20, 0x02])                        // 6to4 2002::/16
            && !StartsWith(bytes, [0x20, 0x01, 0x00, 0x00])            // Teredo 2001::/32
            && !StartsWith(bytes, [0x01, 0x00, 0, 0, 0, 0, 0, 0])      // discard-only 100::/64
            && !StartsWith(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) // IPv4-compatible ::a.b.c.d (::/96)
            && !StartsWith(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0]); // IPv4-translated ::ffff:0:a.b.c.d
    }

    private static bool StartsWith(ReadOnlySpan<byte> address, ReadOnlySpan<byte> prefix) => address.StartsWith(prefix);

    /// <summary>Whether a connection to <paramref name="address"/>, reached through <paramref name="host"/>, is allowed.</summary>
    public bool IsAllowed(string host, IPAddress address)
    {
        address = Normalize(address);
        return IsPublic(address)
            || _hosts.Any(allowed => string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase))
            || _hostSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            || _networks.Any(network => network.Contains(address));
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only to allowed addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(address => IsAllowed(host, address)).ToArray();
        if (allowed.Length == 0)
        {
            throw new SsrfRefusedException(addresses.Length == 0 ? $"'{host}' has no address." : Refusal(host));
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            var connected = ((IPEndPoint)socket.RemoteEndPoint!).Address;
            if (!IsAllowed(host, connected))
            {
                throw new SsrfRefusedException(Refusal(host));
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Names the host the graph asked for, never the address it resolved to, which would map the internal network.</summary>
    private static string Refusal(string host) =>
        $"Refused to connect to '{host}': it is a private, loopback, link-local or metadata address, which graphs may not reach unless the host allow-lists it.";

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
