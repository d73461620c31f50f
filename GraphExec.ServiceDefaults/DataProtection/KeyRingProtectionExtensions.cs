using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GraphExec.ServiceDefaults.DataProtection;

public static class KeyRingProtectionExtensions
{
    /// <summary>
    /// Encrypts the key ring with <c>DataProtection:Key</c> (see <see cref="KeyRingProtectionOptions"/>), checked when the
    /// service starts, so that the store holding the ring never holds a usable key.
    /// </summary>
    public static IDataProtectionBuilder ProtectKeysWithConfiguredKey(this IDataProtectionBuilder builder)
    {
        builder.Services.AddOptions<KeyRingProtectionOptions>()
            .BindConfiguration(KeyRingProtectionOptions.Section)
            .ValidateDataAnnotations()
            .Validate(options => options.PreviousKeys.All(key => key is { Length: >= 32 }), "Every DataProtection:PreviousKeys entry needs at least 32 characters.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new KeyRingKeys(services.GetRequiredService<IOptions<KeyRingProtectionOptions>>().Value));
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<KeyRingKeys>((options, keys) => options.XmlEncryptor = new KeyRingEncryptor(keys));
        return builder;
    }
}
