using GraphExec.Core.Data;
using GraphExec.Core.Graphs;
using GraphExec.Engine.Graphs;
using GraphExec.Engine.Validation;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Api.Infrastructure;

/// <summary>Checks what a graph's <c>settings</c> name when it is saved: its error handler must be another graph of the owner's.</summary>
public static class GraphSettingsReferences
{
    public const string ErrorGraphPointer = "/settings/errorGraphId";

    /// <summary>
    /// One error when the error handler is the graph itself (<paramref name="graphId"/>, null for a new graph) or no
    /// graph of the owner's; another user's graph is as unknown as one that does not exist.
    /// </summary>
    public static async Task<IReadOnlyList<ValidationError>> FindInvalidAsync(
        this GraphExecDbContext db, Guid ownerId, Guid? graphId, GraphDefinition graph, CancellationToken cancellationToken)
    {
        if (graph.Settings?.ErrorGraphId is not { } handlerId)
        {
            return [];
        }

        if (handlerId == graphId)
        {
            return [new ValidationError(ErrorGraphPointer, ValidationCodes.UnknownGraph,
                "A graph cannot be its own error handler: a failing handler would start itself again.")];
        }

        return await db.Graphs.Existing(ownerId, handlerId).AnyAsync(cancellationToken)
            ? []
            : [new ValidationError(ErrorGraphPointer, ValidationCodes.UnknownGraph, $"You have no graph with id '{handlerId}' to handle this graph's errors.")];
    }
}
