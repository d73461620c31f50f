using Microsoft.EntityFrameworkCore;

namespace GraphExec.Core.Data;

public static class DbContextOptionsExtensions
{
    /// <summary>The provider options every use of <see cref="GraphExecDbContext"/> shares.</summary>
    public static DbContextOptionsBuilder UseGraphExecNpgsql(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString).UseGraphExecConventions();

    public static DbContextOptionsBuilder UseGraphExecConventions(this DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
