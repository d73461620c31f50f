namespace GraphExec.Web.Graphs.Editing;

/// <summary>A place on the canvas, in the graph's own units (before zoom and pan): a node's top left corner.</summary>
public readonly record struct CanvasPoint(double X, double Y)
{
    public CanvasPoint Offset(double dx, double dy) => new(X + dx, Y + dy);
}

/// <summary>An area of the canvas (a rubber band), in the graph's units.</summary>
public readonly record struct CanvasArea(double X, double Y, double Width, double Height)
{
    /// <summary>Whether a node box at <paramref name="corner"/> overlaps the area.</summary>
    public bool Touches(CanvasPoint corner, double width, double height) =>
        corner.X < X + Width && corner.X + width > X && corner.Y < Y + Height && corner.Y + height > Y;
}
