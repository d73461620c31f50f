using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GraphExec.Api.Infrastructure;

/// <summary>Says in each operation's description which scope a personal access token needs for it.</summary>
internal sealed class ScopeDescriptionTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiredScope>().LastOrDefault() is { } required)
        {
            var note = $"A personal access token needs the scope `{required.Scope}`.";
            operation.Description = string.IsNullOrEmpty(operation.Description) ? note : $"{operation.Description}\n\n{note}";
        }

        return Task.CompletedTask;
    }
}
