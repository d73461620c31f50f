using System.Text.Json.Serialization;

namespace GraphExec.Web.Api;

/// <summary>What a credential holds, as the Api writes it; only a label for people: every kind is used the same way.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CredentialKind>))]
public enum CredentialKind
{
    [JsonStringEnumMemberName("secret")]
    Secret,

    [JsonStringEnumMemberName("apiKey")]
    ApiKey,

    [JsonStringEnumMemberName("bearerToken")]
    BearerToken,

    [JsonStringEnumMemberName("password")]
    Password,
}
