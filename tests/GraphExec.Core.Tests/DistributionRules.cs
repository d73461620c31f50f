using Microsoft.EntityFrameworkCore.Metadata;

namespace GraphExec.Core.Tests;

/// <summary>
/// What Citus needs of a schema distributed by owner, checked on the EF model's tables: the primary key and every unique
/// index lead with the table's distribution column (Citus enforces uniqueness only within a shard), and a foreign key
/// joins the owner columns of both sides (a shard holds one owner's rows of every table, so a key to another owner's row
/// could not be checked). A reference table (a <see cref="GlobalLookup"/> of a whole table) is on every node, so keys to
/// it are fine.
/// </summary>
public static class DistributionRules
{
    private const string WhatToDo =
        "Put the distribution column first (docs/scaling.md: every user's rows live on one shard), or, if it is a deliberate "
        + "global lookup, list it in Distributing_the_schema_by_owner.GlobalLookups with the reason and add the reference or "
        + "lookup table that replaces it at scale to the Citus plan in docs/scaling.md.";

    /// <summary>The column a table is distributed by: its owner's id (a user's own id for <c>users</c>).</summary>
    public static string DistributionColumn(string table) => table switch
    {
        "users" => "id",
        "sessions" => "user_id",
        _ => "owner_id",
    };

    /// <summary>Every breach of the rules in <paramref name="model"/>, each with what to do about it.</summary>
    public static IEnumerable<string> Violations(IRelationalModel model, IReadOnlyCollection<GlobalLookup> lookups)
    {
        var globalTables = lookups.Where(l => l.Index is null).Select(l => l.Table).ToHashSet(StringComparer.Ordinal);
        var globalIndexes = lookups.Where(l => l.Index is not null).Select(l => (l.Table, l.Index!)).ToHashSet();
        foreach (var table in model.Tables.Where(t => !globalTables.Contains(t.Name)))
        {
            var owner = DistributionColumn(table.Name);
            if (table.FindColumn(owner) is null)
            {
                yield return $"Table {table.Name} has no {owner} column to be distributed by. {WhatToDo}";
                continue;
            }

            if (table.PrimaryKey is { } key && !LeadsWith(key.Columns, owner))
            {
                yield return $"The primary key of {table.Name} ({Names(key.Columns)}) does not lead with {owner}. {WhatToDo}";
            }

            var uniques = table.Indexes.Where(i => i.IsUnique).Select(i => (i.Name, i.Columns))
                .Concat(table.UniqueConstraints.Where(c => !c.GetIsPrimaryKey()).Select(c => (c.Name, c.Columns)));
            foreach (var (name, columns) in uniques)
            {
                if (!LeadsWith(columns, owner) && !globalIndexes.Contains((table.Name, name)))
                {
                    yield return $"The unique index {name} of {table.Name} ({Names(columns)}) does not lead with {owner}. {WhatToDo}";
                }
            }

            foreach (var foreignKey in table.ForeignKeyConstraints.Where(k => !globalTables.Contains(k.PrincipalTable.Name)))
            {
                var mine = IndexOf(foreignKey.Columns, owner);
                var theirs = IndexOf(foreignKey.PrincipalColumns, DistributionColumn(foreignKey.PrincipalTable.Name));
                if (mine < 0 || mine != theirs)
                {
                    yield return $"The foreign key {foreignKey.Name} from {table.Name} ({Names(foreignKey.Columns)}) to "
                        + $"{foreignKey.PrincipalTable.Name} ({Names(foreignKey.PrincipalColumns)}) could join rows of two owners: "
                        + $"include {owner} on both sides, matched to each other.";
                }
            }
        }
    }

    /// <summary>Lookups that name nothing in the model, or something that keeps the rules anyway: remove them.</summary>
    public static IEnumerable<string> Unneeded(IRelationalModel model, IReadOnlyCollection<GlobalLookup> lookups)
    {
        foreach (var lookup in lookups)
        {
            var table = model.Tables.SingleOrDefault(t => t.Name == lookup.Table);
            if (table is null)
            {
                yield return $"{lookup}: no such table in the model; remove it from the global lookups.";
                continue;
            }

            if (lookup.Index is null)
            {
                continue;
            }

            var index = table.Indexes.SingleOrDefault(i => i.Name == lookup.Index);
            if (index is null || !index.IsUnique || LeadsWith(index.Columns, DistributionColumn(table.Name)))
            {
                yield return $"{lookup}: no unique index of that name breaks the rules; remove it from the global lookups.";
            }
        }
    }

    private static bool LeadsWith(IReadOnlyList<IColumn> columns, string column) => columns.Count > 0 && columns[0].Name == column;

    private static int IndexOf(IReadOnlyList<IColumn> columns, string column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Name == column)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Names(IEnumerable<IColumn> columns) => string.Join(", ", columns.Select(c => c.Name));
}
