namespace GraphExec.Cli.Infrastructure;

/// <summary>Rows in aligned columns under upper-case headers, as <c>docker ps</c> and <c>kubectl get</c> print them.</summary>
public sealed class Table(params string[] headers)
{
    private const string Gap = "  ";

    private readonly List<string[]> _rows = [];

    public Table Add(params string?[] cells)
    {
        _rows.Add([.. cells.Select(cell => cell ?? "-")]);
        return this;
    }

    public void Write(TextWriter writer)
    {
        var widths = headers.Select((header, i) => _rows.Select(row => row[i].Length).Append(header.Length).Max()).ToArray();
        WriteRow(writer, headers, widths);
        foreach (var row in _rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths) =>
        writer.WriteLine(string.Join(Gap, cells.Select((cell, i) => i == cells.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
}
