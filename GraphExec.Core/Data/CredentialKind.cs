using System.Text.Json.Serialization;

namespace GraphExec.Core.Data;

/// <summary>What a credential holds, for people reading the list; every kind is used the same way, as text.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CredentialKind>))]
public enum CredentialKind : short
{
    [JsonStringEnumMemberName("secret")]
    Secret = 0,

    [JsonStringEnumMemberName("apiKey")]
    ApiKey = 1,

    [JsonStringEnumMemberName("bearerToken")]
    BearerToken = 2,

    [JsonStringEnumMemberName("password")]
    Password = 3,
}
