using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

// Accepted signed webhooks per second against one Webhooks instance: N distinct deliveries, C at a time, bounded in time.
// Usage (bench/webhooks.sh sets everything up): dotnet run -c Release --project bench/GraphExec.WebhookThroughput --
//   <hook url on 127.0.0.1> <whsec_ secret> [deliveries=5000] [concurrency=32] [max seconds=60]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: <hook url> <whsec_ secret> [deliveries] [concurrency] [max seconds]");
    return 2;
}

var url = new Uri(args[0]);
if (!IPAddress.TryParse(url.Host, out var address) || !IPAddress.IsLoopback(address))
{
    Console.Error.WriteLine("The benchmark only sends to a loopback address.");
    return 2;
}

var key = Convert.FromBase64String(args[1]["whsec_".Length..]);
var deliveries = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000;
var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 32;
using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 60));

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = url };
var next = -1;
var statuses = new int[600];

async Task SendAsync(int n, CancellationToken cancellationToken)
{
    var id = $"msg_bench_{n}_{Guid.NewGuid():N}";
    var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    var body = string.Create(CultureInfo.InvariantCulture, $"{{\"who\":\"Ada {n}\",\"order\":{{\"id\":{n},\"total\":12.5}}}}");
    var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    request.Headers.Add("webhook-id", id);
    request.Headers.Add("webhook-timestamp", timestamp);
    request.Headers.Add("webhook-signature", "v1," + signature);
    using var response = await client.SendAsync(request, cancellationToken);
    Interlocked.Increment(ref statuses[(int)response.StatusCode]);
}

async Task WorkAsync(int count)
{
    int n;
    while (!deadline.IsCancellationRequested && (n = Interlocked.Increment(ref next)) < count)
    {
        try
        {
            await SendAsync(n, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return;
        }
    }
}

// Warm-up: connections, JIT, caches.
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => WorkAsync(Math.Min(500, deliveries))));
Array.Clear(statuses);
next = -1;

var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => WorkAsync(deliveries)));
clock.Stop();

var accepted = statuses[202];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{accepted} accepted of {statuses.Sum()} sent in {clock.Elapsed.TotalSeconds:F2} s at concurrency {concurrency}: {accepted / clock.Elapsed.TotalSeconds:F0} accepted webhooks/s"));
var others = statuses.Select((count, status) => (count, status)).Where(s => s.count > 0 && s.status != 202).ToList();
if (others.Count > 0)
{
    Console.WriteLine("other answers: " + string.Join(", ", others.Select(s => $"{s.status}×{s.count}")));
}

return accepted > 0 ? 0 : 1;
