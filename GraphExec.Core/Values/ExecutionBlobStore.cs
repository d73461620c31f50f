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
public sealed class ExecutionBlobStore(BlobContainerClient container, IOptions<BlobOptions> options) : IExecutionBlobs
{
    /// <summary>Deletes of one execution's blobs at once; Azure allows far more, Azurite on a laptop would not enjoy it.</summary>
    private const int ParallelDeletes = 16;

    private static readonly BlobUploadOptions IfAbsent = new()
    {
        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
    };

    private int _containerExists;

    public ValueLimits Limits { get; } = ValueLimits.From(options.Value);

    /// <summary>One execution's values, to store and load during one run or start.</summary>
    public ExecutionValues For(ExecutionKey execution) => new(this, Limits, execution);

    /// <summary>Writes the value unless its blob exists already (a 409 or 412 answer says it does).</summary>
    public async Task WriteAsync(ExecutionKey execution, LargeValue value, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(BlobNames.Of(execution, value.Reference.Key));
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(value.Json), IfAbsent, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412 && exception.ErrorCode != BlobErrorCode.ContainerNotFound)
        {
            // Written before, by this run or an earlier attempt of it: the content is the same, as the name is its hash.
        }
        catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.ContainerNotFound && Interlocked.Exchange(ref _containerExists, 1) == 0)
        {
            // A new deployment's (or test run's) first value: make the container, once per process, and write again.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await WriteAsync(execution, value, cancellationToken);
        }
    }

    /// <summary>Reads a value back for a run to use, or null when its blob does not exist.</summary>
    public async Task<JsonNode?> ReadAsync(ExecutionKey execution, string key, CancellationToken cancellationToken)
    {
        try
        {
            var content = await container.GetBlobClient(BlobNames.Of(execution, key)).DownloadContentAsync(cancellationToken);
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
            var download = await container.GetBlobClient(BlobNames.Of(execution, key)).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The blobs of executions created on <paramref name="day"/>, written before <paramref name="before"/>.</summary>
    public async IAsyncEnumerable<string> ListAsync(
        DateOnly day, DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in ListOrNoneAsync(BlobNames.DayPrefix(day), cancellationToken))
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
            await foreach (var blob in ListOrNoneAsync(BlobNames.Prefix(execution), cancellationToken))
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
            new ParallelOptions { MaxDegreeOfParallelism = ParallelDeletes, CancellationToken = cancellationToken },
            async (name, token) => await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token));

    private async IAsyncEnumerable<BlobItem> ListOrNoneAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                Page<BlobItem> page;
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        yield break;
                    }

                    page = pages.Current;
                }
                catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.ContainerNotFound)
                {
                    // No value was ever large enough: there is nothing to list.
                    yield break;
                }

                foreach (var blob in page.Values)
                {
                    yield return blob;
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }
}
