using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Values;

namespace GraphExec.Api.Features.Executions;

/// <summary>
/// Stored values as the Api answers them: small ones inline, as stored; each reference to a value in blob storage with
/// an <c>href</c> added, where the whole value streams from (see <see cref="ExecutionsApi.GetValueAsync"/>).
/// </summary>
public static class ValueLinks
{
    public static string Href(Guid executionId, string key) => $"/api/executions/{executionId}/values/{key}";

    /// <summary>A <c>jsonb</c> object column with links added to its references; only an execution with blobs has any to look for.</summary>
    public static JsonElement? Column(string? json, Guid executionId, bool hasBlobs) =>
        json is null ? null
        : !hasBlobs ? JsonColumns.Parse(json)
        : JsonSerializer.SerializeToElement(Linked(json, executionId), ValueLinksJsonContext.Default.JsonNode);

    private static JsonNode? Linked(string json, Guid executionId)
    {
        var column = JsonNode.Parse(json);
        if (column is JsonObject values)
        {
            foreach (var (name, value) in values.ToList())
            {
                if (ValueReference.From(value) is { } reference)
                {
                    value!.AsObject()[ValueReference.HrefProperty] = Href(executionId, reference.Key);
                }
            }
        }

        return column;
    }
}
