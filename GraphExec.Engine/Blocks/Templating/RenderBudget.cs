using System.Text.Json.Nodes;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Templating;

/// <summary>
/// What one rendering of a JSON template may still build before it is over the value limit: every string it renders and
/// every value it copies in counts, so that a body repeating a large input a thousand times stops at the limit.
/// </summary>
internal sealed class RenderBudget(long limit)
{
    private readonly long _limit = limit;
    private long _left = limit;

    /// <exception cref="ValueTooLargeException">More than the limit has been built.</exception>
    public void Spend(long bytes)
    {
        _left -= bytes;
        if (_left < 0)
        {
            throw new ValueTooLargeException(_limit);
        }
    }

    /// <summary>A copy of <paramref name="value"/> to embed, counted first.</summary>
    public JsonNode? Clone(JsonNode? value)
    {
        Spend(JsonValues.MeasureUpTo(value, Math.Max(_left, 0) + 1));
        return value?.DeepClone();
    }
}
