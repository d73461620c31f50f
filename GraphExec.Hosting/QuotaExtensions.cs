using GraphExec.Core.Quotas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GraphExec.Hosting;

public static class QuotaExtensions
{
    /// <summary>
    /// <see cref="QuotaOptions"/> from the <c>Quotas</c> section: the defaults, then each user's section bound over a copy
    /// of them, all checked when the process starts, so that a mistyped quota stops the deployment instead of a user.
    /// </summary>
    public static TBuilder AddGraphExecQuotas<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<QuotaOptions>()
            .BindConfiguration(QuotaOptions.Section)
            .Configure<IConfiguration>((quotas, configuration) =>
            {
                foreach (var user in configuration.GetSection(QuotaOptions.Section).GetSection(QuotaOptions.UsersSection).GetChildren())
                {
                    if (!Guid.TryParse(user.Key, out var ownerId))
                    {
                        throw new InvalidOperationException(
                            $"'{QuotaOptions.Section}:{QuotaOptions.UsersSection}:{user.Key}' must be named by a user id (a UUID).");
                    }

                    var own = quotas.Copy();
                    user.Bind(own);
                    quotas.SetUser(ownerId, own);
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<QuotaOptions>, QuotaValidation>();
        return builder;
    }

    private sealed class QuotaValidation : IValidateOptions<QuotaOptions>
    {
        public ValidateOptionsResult Validate(string? name, QuotaOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
