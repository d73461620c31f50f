using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Engine.Validation;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Api.Infrastructure;

/// <summary>Checks that the secrets a graph names (<c>{{secrets.NAME}}</c>) are the owner's, when it is saved and when it is run.</summary>
public static class SecretReferences
{
    /// <summary>One error per node and secret the owner does not have, at the node's config; the same whether or not another user has one of that name.</summary>
    public static async Task<IReadOnlyList<ValidationError>> FindMissingAsync(
        this GraphExecDbContext db, Guid ownerId, ExecutionPlan plan, CancellationToken cancellationToken)
    {
        if (plan.SecretReferences.Count == 0)
        {
            return [];
        }

        var names = plan.SecretReferences.Select(reference => reference.Name).Distinct().ToList();
        var existing = await db.Credentials.AsNoTracking()
            .Where(c => c.OwnerId == ownerId && names.Contains(c.Name))
            .Select(c => c.Name)
            .ToListAsync(cancellationToken);
        var nodes = plan.Graph.Nodes.Select((node, index) => (node.Id, index)).ToDictionary(node => node.Id, node => node.index);
        return [.. plan.SecretReferences
            .Where(reference => !existing.Contains(reference.Name))
            .Select(reference => new ValidationError(
                $"/nodes/{nodes[reference.NodeId]}/config",
                ValidationCodes.UnknownSecret,
                $"Node '{reference.NodeId}' uses {{{{secrets.{reference.Name}}}}}, but you have no credential named '{reference.Name}': create it under Credentials first."))];
    }
}
