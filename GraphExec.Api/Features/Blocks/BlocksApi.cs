using GraphExec.Engine.Blocks;

namespace GraphExec.Api.Features.Blocks;

public static class BlocksApi
{
    public static RouteHandlerBuilder MapBlocksApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/blocks", (BlockCatalog catalog) => TypedResults.Ok(catalog.Descriptors))
            .WithTags("Blocks")
            .WithName("ListBlocks")
            .WithSummary("The block catalogue: each block's ports, config schema (JSON Schema) and examples.");
}
