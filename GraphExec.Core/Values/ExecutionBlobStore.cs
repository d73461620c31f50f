using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GraphExec.Engine.Json;
using Microsoft.Extensions.Options;

namespace GraphExec.Core.Values;

/// <summary>
/// The blob container that holds execution values above the inline threshold, named by <see cref="BlobNames"/>. Writes
/// are content-addressed and never overwrite (<c>If-None-Match: *</c>), so writing a value again, from this run or a
/// takeover of it, costs one refused request and changes nothing.
/// </summary>
/// <param name="containerCreated">
/// Completes once the container exists (it is created in the background at start): every request waits for it, so that
/// the first values of a new deployment or test run are stored rather than refused.
/// </param>
public sealed class ExecutionBlobStore(BlobContainerClient container, IOptions<BlobOptions> options, Task containerCreated) : IExecutionBlobs
{
    /// <summary>Requests about one execution's blobs at once; Azure allows far more, Azurite on a laptop would not enjoy it.</summary>
    private const int ParallelRequests = 16;

    private static readonly BlobUploadOptions IfAbsent = new()
    {
        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
    };

    public ValueLimits Limits { get; } = ValueLimits.From(options.Value);

    /// <summary>One execution's values, to store and load during one run or start.</summary>
    public ExecutionValues For(ExecutionKey execution) => new(this, Limits, execution);

    /// <summary>Writes the value unless its blob exists already (a 409 or 412 answer says it does).</summary>
    public async Task WriteAsync(ExecutionKey execution, LargeValue value, CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(BlobNames.Of(execution, value.Reference.Key), cancellationToken);
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(value.Json), IfAbsent, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            // Written before, by this run or an earlier attempt of it: the content is the same, as the name is its hash.
        }
    }

    /// <summary>Reads a value back for a run to use, or null when its blob does not exist.</summary>
    public async Task<JsonNode?> ReadAsync(ExecutionKey execution, string key, CancellationToken cancellationToken)
    {
        try
        {
            var blob = await BlobAsync(BlobNames.Of(execution, key), cancellationToken);
            var content = await blob.DownloadContentAsync(cancellationToken);
            return JsonValues.Materialize(JsonNode.Parse(content.Value.Content.ToMemory().Span));
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            throw new InvalidOperationException($"The value {key} of execution {execution.ExecutionId} is referenced but its blob is gone.", exception);
        }
    }

    /// <summary>Opens a value's JSON as a stream, without reading it into memory; null when there is no such blob.</summary>
    public async Task<Stream?> OpenAsync(ExecutionKey execution, string key, CancellationToken cancellationToken)
    {
        try
        {
            var blob = await BlobAsync(BlobNames.Of(execution, key), cancellationToken);
            var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Copies every blob of execution <paramref name="from"/> to execution <paramref name="to"/> under the same keys,
    /// streaming each through this process (a server-side copy would need a signed URL of the source). A blob gone
    /// meanwhile is left out; one the target has already is kept, as its name is its content's hash.
    /// </summary>
    /// <returns>How many blobs <paramref name="from"/> had.</returns>
    public async Task<int> CopyAsync(ExecutionKey from, ExecutionKey to, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var blob in ListAsync(BlobNames.Prefix(from), cancellationToken))
        {
            if (BlobNames.Parse(blob.Name) is { } parsed)
            {
                keys.Add(parsed.Key);
            }
        }

        await Parallel.ForEachAsync(
            keys,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelRequests, CancellationToken = cancellationToken },
            async (key, token) =>
            {
                try
                {
                    var source = await BlobAsync(BlobNames.Of(from, key), token);
                    var download = await source.DownloadStreamingAsync(cancellationToken: token);
                    await using var content = download.Value.Content;
                    await (await BlobAsync(BlobNames.Of(to, key), token)).UploadAsync(content, IfAbsent, token);
                }
                catch (RequestFailedException exception) when (exception.Status is 404 or 409 or 412)
                {
                    // Gone from the source (the run that reads it then fails, naming it), or in the target already.
                }
            });
        return keys.Count;
    }

    /// <summary>The blobs of executions created on <paramref name="day"/>, written before <paramref name="before"/>.</summary>
    public async IAsyncEnumerable<string> ListAsync(
        DateOnly day, DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in ListAsync(BlobNames.DayPrefix(day), cancellationToken))
        {
            if (blob.Properties.LastModified < before)
            {
                yield return blob.Name;
            }
        }
    }

    public async Task DeleteAsync(IReadOnlyCollection<ExecutionKey> executions, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var execution in executions)
        {
            await foreach (var blob in ListAsync(BlobNames.Prefix(execution), cancellationToken))
            {
                names.Add(blob.Name);
            }
        }

        await DeleteAsync(names, cancellationToken);
    }

    /// <summary>Deletes these blobs; one already gone is not an error.</summary>
    public Task DeleteAsync(IEnumerable<string> names, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            names,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelRequests, CancellationToken = cancellationToken },
            async (name, token) => await (await BlobAsync(name, token)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token));

    /// <summary>A blob of the container, once the container exists (at once, but for the first requests of a process).</summary>
    private async ValueTask<BlobClient> BlobAsync(string name, CancellationToken cancellationToken)
    {
        if (!containerCreated.IsCompletedSuccessfully)
        {
            await containerCreated.WaitAsync(cancellationToken);
        }

        return container.GetBlobClient(name);
    }

    private async IAsyncEnumerable<BlobItem> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await containerCreated.WaitAsync(cancellationToken);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            yield return blob;
        }
    }
}
