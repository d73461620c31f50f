using GraphExec.Engine.Validation;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Infrastructure;

/// <summary>
/// Reads a graph document from the request body and validates it as the engine would, so that every problem comes
/// back at its JSON pointer, malformed JSON included. A body over <see cref="ApiOptions.MaxRequestBodyBytes"/> answers
/// 413 whichever server hosts the Api (Kestrel enforces the same limit before the body is read).
/// </summary>
public sealed class GraphBody(GraphValidator validator, IOptions<ApiOptions> options)
{
    public static bool IsJson(HttpRequest request) => request.HasJsonContentType();

    public async Task<GraphValidationResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream(capacity: (int)Math.Min(request.ContentLength ?? 16 * 1024, limit));
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return validator.Validate(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static BadHttpRequestException TooLarge(long limit) =>
        new($"The body is larger than the limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
}
