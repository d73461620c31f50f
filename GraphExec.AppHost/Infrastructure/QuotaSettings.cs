using Microsoft.Extensions.Configuration;

namespace GraphExec.AppHost.Infrastructure;

public static class QuotaSettings
{
    private const string Section = "Quotas";

    /// <summary>
    /// The AppHost's <c>Quotas</c> section (<c>--Quotas:Graphs=50000</c>, <c>Quotas__Users__{id}__Graphs</c>) given to a
    /// service, so that an operator sets every user's quotas once for all the services that decide them.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithQuotas(this IResourceBuilder<ProjectResource> project)
    {
        var settings = project.ApplicationBuilder.Configuration.GetSection(Section).AsEnumerable()
            .Where(setting => setting.Value is not null)
            .ToList();
        return project.WithEnvironment(context =>
        {
            foreach (var setting in settings)
            {
                context.EnvironmentVariables[setting.Key.Replace(":", "__", StringComparison.Ordinal)] = setting.Value!;
            }
        });
    }
}
