using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GraphExec.Api.Infrastructure;

/// <summary>Declares the bearer token in the OpenAPI document, so that Scalar offers to send one.</summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An access token (JWT) from POST /api/auth/token or /api/auth/refresh, or a personal access token (gxp_…) "
                + "from POST /api/tokens, which may call only the endpoints its scopes allow.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
        return Task.CompletedTask;
    }
}
