using System.Net.Sockets;
using Azure;

namespace GraphExec.Hosting.Blobs;

internal static class BlobFailures
{
    /// <summary>
    /// Blob storage that is down, restarting or overloaded: no answer at all (the SDK reports status 0, or gives up after
    /// its own retries with an <see cref="AggregateException"/>), or a 5xx. A 4xx such as a wrong account key is not
    /// retried: waiting would not fix it.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or >= 500,
        HttpRequestException or SocketException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };
}
