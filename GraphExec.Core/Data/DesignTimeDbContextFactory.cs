using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GraphExec.Core.Data;

/// <summary>For <c>dotnet ef migrations add</c>: the model needs no server to compare against.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<GraphExecDbContext>
{
    public GraphExecDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<GraphExecDbContext>();
        options.UseGraphExecNpgsql("Host=localhost");
        return new GraphExecDbContext(options.Options);
    }
}
