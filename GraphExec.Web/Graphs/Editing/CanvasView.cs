namespace GraphExec.Web.Graphs.Editing;

/// <summary>How the canvas looks at the graph: shifted by (<see cref="X"/>, <see cref="Y"/>) pixels, scaled by <see cref="Zoom"/>.</summary>
public readonly record struct CanvasView(double X, double Y, double Zoom)
{
    public const double MinimumZoom = 0.25;
    public const double MaximumZoom = 2.5;
    private const double Margin = 32;

    public static CanvasView Initial { get; } = new(0, 0, 1);

    /// <summary>Zooms by <paramref name="factor"/> about the middle of a canvas of the given size.</summary>
    public CanvasView ZoomBy(double factor, double width, double height)
    {
        var zoom = Math.Clamp(Zoom * factor, MinimumZoom, MaximumZoom);
        var (cx, cy) = (width / 2, height / 2);
        return new CanvasView(cx - (cx - X) * (zoom / Zoom), cy - (cy - Y) * (zoom / Zoom), zoom);
    }

    /// <summary>The view that shows every node, no larger than life, centred in a canvas of the given size.</summary>
    public static CanvasView Fit(IReadOnlyList<CanvasNode> nodes, double width, double height)
    {
        if (nodes.Count == 0 || width <= 0 || height <= 0)
        {
            return Initial;
        }

        var (left, top) = (nodes.Min(n => n.At.X), nodes.Min(n => n.At.Y));
        var (right, bottom) = (nodes.Max(n => n.At.X + n.Width), nodes.Max(n => n.At.Y + n.Height));
        var zoom = Math.Clamp(Math.Min((width - 2 * Margin) / (right - left), (height - 2 * Margin) / (bottom - top)), MinimumZoom, 1);
        return new CanvasView(
            (width - (right - left) * zoom) / 2 - left * zoom,
            (height - (bottom - top) * zoom) / 2 - top * zoom,
            zoom);
    }
}
