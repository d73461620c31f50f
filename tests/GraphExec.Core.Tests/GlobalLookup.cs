namespace GraphExec.Core.Tests;

/// <summary>
/// A table, or one unique index of a table, that is deliberately not distributed by its owner: something found by a
/// value that is not the owner (a webhook id from a URL, a token's hash), which on Citus becomes a reference or lookup
/// table.
/// </summary>
/// <param name="Table">The table's name.</param>
/// <param name="Index">The unique index's name, or null when the whole table is global.</param>
/// <param name="Reason">Why it cannot lead with its owner.</param>
/// <param name="Plan">The table of the Citus plan in docs/scaling.md that replaces it at scale.</param>
public sealed record GlobalLookup(string Table, string? Index, string Reason, string Plan)
{
    public override string ToString() => Index is null ? Table : $"{Table}.{Index}";
}
