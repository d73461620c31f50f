namespace GraphExec.Api.Infrastructure;

/// <summary>Endpoint metadata: the scope a personal access token needs for the endpoint (shown in the OpenAPI document).</summary>
public sealed record RequiredScope(string Scope);
